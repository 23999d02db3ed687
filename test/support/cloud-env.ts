/**
 * A hermetic environment for the SDKs' credential chains in tests: no
 * profile or credentials file of the machine is read, and nothing asks an
 * instance metadata address (only 127.0.0.1 is ever contacted). `set` puts
 * variables for the tests of one file; `restore` puts back what was there.
 */
const HERMETIC: Record<string, string | undefined> = {
  // The SDK's notice that its releases of 2027 need Node 22 (the pinned one runs on 20).
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent/featherboard-test/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/featherboard-test/aws-credentials',
  AWS_PROFILE: undefined,
  AWS_DEFAULT_PROFILE: undefined,
  AWS_ACCESS_KEY_ID: undefined,
  AWS_SECRET_ACCESS_KEY: undefined,
  AWS_SESSION_TOKEN: undefined,
  AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
  AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  AWS_REGION: undefined,
  AWS_DEFAULT_REGION: undefined,
  AWS_ENDPOINT_URL: undefined,
  AWS_ENDPOINT_URL_S3: undefined,
  S3_ENDPOINT: undefined,
  S3_USE_HTTPS: undefined,
  S3_VERIFY_SSL: undefined,
  GOOGLE_APPLICATION_CREDENTIALS: undefined,
  CLOUDSDK_CONFIG: '/nonexistent/featherboard-test/gcloud',
  // google-auth-library: never probe the GCE metadata server.
  METADATA_SERVER_DETECTION: 'none',
  GCE_METADATA_HOST: '127.0.0.1:9',
  STORAGE_EMULATOR_HOST: undefined,
};

export class CloudEnv {
  private readonly saved = new Map<string, string | undefined>();

  constructor(extra: Record<string, string | undefined> = {}) {
    this.set({ ...HERMETIC, ...extra });
  }

  set(vars: Record<string, string | undefined>): void {
    for (const [k, v] of Object.entries(vars)) {
      if (!this.saved.has(k)) this.saved.set(k, process.env[k]);
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }

  restore(): void {
    for (const [k, v] of this.saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    this.saved.clear();
  }
}
