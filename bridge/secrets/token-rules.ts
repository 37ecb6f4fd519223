// What makes a usable bridge.token / RELAY_TOKEN: anything guessable (blank, short) would let the
// network switch the streams while looking protected.

/** The shortest token the bridge takes. */
export const MIN_TOKEN_LENGTH = 16;

/** A command that prints a good token, suggested in every refusal (the bridge never prints one itself). */
export const MAKE_TOKEN_COMMAND = `node -e "console.log(require('crypto').randomBytes(24).toString('base64url'))"`;

/** Why `token` is not usable, or null when it is ("" means no token, which is allowed on loopback). */
export function tokenProblem(token: string): string | null {
  if (token === "") return null;
  if (token.trim() === "") return "is blank (only white space)";
    if (/[\s\u0000-\u001f\u007f]/.test(token)) return "must not contain spaces or control characters";
  if (token.length < MIN_TOKEN_LENGTH) return `is too short: use at least ${MIN_TOKEN_LENGTH} characters`;
  return null;
}

/** The refusal for a token with `problem`: what is wrong and how to make a good one. */
export function tokenAdvice(problem: string): string {
  return `${problem}. Make one with: ${MAKE_TOKEN_COMMAND}`;
}
