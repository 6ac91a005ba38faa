// Global setup hook for the suite; suites that need external engines start them themselves.
export default function setup(): void {}
