// Tests run outside React's server environment, where importing "server-only" throws by design.
export {};
