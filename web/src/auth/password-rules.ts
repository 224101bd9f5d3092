/** The shortest password wabase's auth accepts (the server says the same: GoTrue's weak_password). */
export const MIN_PASSWORD_LENGTH = 8;

/** The message for a password that is too short, or null; counts characters as the server does. */
export function passwordProblem(password: string): string | null {
  return password !== '' && [...password].length < MIN_PASSWORD_LENGTH ? `Use at least ${MIN_PASSWORD_LENGTH} characters` : null;
}
