/** The few log calls a cycle makes; Powertools Logger in Lambda, stderr or nothing on the CLI. */
export interface CycleLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLog: CycleLog = { info() {}, warn() {}, error() {} };
