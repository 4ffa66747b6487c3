/**
 * A rule of the domain said no. `code` is dotted (`wish.full`, `wish.wrong_state`);
 * the HTTP layer maps the code's last part to a status, so domain code never speaks HTTP.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const fail = (code: string, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};
