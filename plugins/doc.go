// Package plugins will hold Tessera's extension contract (record events,
// custom actions, notification channels, integrations) and the built-in
// plugins. It is empty on purpose: the contract is designed with the
// automation step, which is its first user, so that it is shaped by a real
// caller rather than guessed.
package plugins
