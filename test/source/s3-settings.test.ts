import { s3Settings } from '../../src/source/s3-settings';

describe('s3Settings: the environment users of the SDK and of TensorBoard set', () => {
  test('nothing set: AWS itself, virtual-hosted, TLS checked', () => {
    expect(s3Settings({})).toEqual({ endpoint: undefined, region: undefined, forcePathStyle: false, verifyTls: true });
  });

  test('AWS_REGION, else AWS_DEFAULT_REGION', () => {
    expect(s3Settings({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('eu-west-1');
    expect(s3Settings({ AWS_DEFAULT_REGION: 'us-west-2' }).region).toBe('us-west-2');
  });

  test('AWS_ENDPOINT_URL_S3 (then AWS_ENDPOINT_URL) wins over S3_ENDPOINT, with path-style addressing', () => {
    const env = {
      AWS_ENDPOINT_URL_S3: 'http://minio:9000',
      AWS_ENDPOINT_URL: 'http://other:1',
      S3_ENDPOINT: 'tb:9000',
    };
    expect(s3Settings(env)).toMatchObject({ endpoint: 'http://minio:9000', forcePathStyle: true });
    expect(s3Settings({ AWS_ENDPOINT_URL: 'http://other:1', S3_ENDPOINT: 'tb:9000' }).endpoint).toBe('http://other:1');
  });

  test("TensorBoard's S3_ENDPOINT: a host with S3_USE_HTTPS (default on), or a URL", () => {
    expect(s3Settings({ S3_ENDPOINT: 'minio.local:9000' })).toMatchObject({
      endpoint: 'https://minio.local:9000',
      forcePathStyle: true,
    });
    expect(s3Settings({ S3_ENDPOINT: 'minio.local:9000', S3_USE_HTTPS: '0' }).endpoint).toBe('http://minio.local:9000');
    expect(s3Settings({ S3_ENDPOINT: 'minio.local:9000', S3_USE_HTTPS: '1' }).endpoint).toBe(
      'https://minio.local:9000',
    );
    expect(s3Settings({ S3_ENDPOINT: 'http://127.0.0.1:9000', S3_USE_HTTPS: '1' }).endpoint).toBe(
      'http://127.0.0.1:9000',
    );
  });

  test('S3_VERIFY_SSL=0 (or false) stops checking certificates; empty values count as unset', () => {
    expect(s3Settings({ S3_VERIFY_SSL: '0' }).verifyTls).toBe(false);
    expect(s3Settings({ S3_VERIFY_SSL: 'false' }).verifyTls).toBe(false);
    expect(s3Settings({ S3_VERIFY_SSL: '1' }).verifyTls).toBe(true);
    expect(s3Settings({ AWS_REGION: ' ', S3_ENDPOINT: '' })).toEqual(s3Settings({}));
  });
});
