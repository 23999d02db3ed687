import { LIMITS } from './params';

/** A quantified group that itself repeats (`(a+)+`) can take exponential time on a short string: refused. */
function isRiskyRegex(pattern: string): boolean {
  return /\([^)]*[*+}][^)]*\)\s*[*+{]/.test(pattern);
}

/**
 * A regular expression from request input, or undefined when it is invalid,
 * too long, or of a shape that could make matching take exponential time.
 * `anchored` gives Python's `re.match` (match at the start); otherwise `re.search`.
 */
export function compileUserRegex(pattern: string, anchored: boolean): RegExp | undefined {
  if (pattern.length > LIMITS.regexChars || isRiskyRegex(pattern)) return undefined;
  try {
    return new RegExp(anchored ? `^(?:${pattern})` : pattern, 'u');
  } catch {
    return undefined;
  }
}
