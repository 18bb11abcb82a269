export const MIN_PASSWORD_LENGTH = 12;

/** The server's policy, checked before sending so the user gets the message at once. */
export function passwordError(password: string): string | null {
  if (!password) return 'Password is required';
  if (password.length < MIN_PASSWORD_LENGTH) return `Password must be at least ${MIN_PASSWORD_LENGTH} characters`;
  return null;
}
