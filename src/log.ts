/** What the core tells the outside while it works. The CLI and the daemon provide it. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  /** Transient progress (a spinner on a terminal; dropped elsewhere). */
  progress(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  progress() {},
};
