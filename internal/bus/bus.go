// Package bus carries invalidation messages between the instances of a
// deployment: in-process when there is one instance (the embedded default),
// Redis pub/sub when REDIS_URL is set.
package bus

import (
	"context"
	"sync"
)

// Bus publishes short messages on topics. Delivery is at most once: a
// subscriber that may have missed messages (a dropped connection) is told
// through its reset handler and must assume everything changed.
type Bus interface {
	Publish(ctx context.Context, topic, msg string) error
	// Subscribe registers a handler; it is called from a background
	// goroutine and must not block for long.
	Subscribe(topic string, handler func(msg string))
	// OnReset registers a handler called when messages may have been lost.
	OnReset(handler func())
	Close() error
}

// handlers is the registry both implementations share.
type handlers struct {
	mu     sync.RWMutex
	topics map[string][]func(string)
	resets []func()
}

func (h *handlers) Subscribe(topic string, handler func(string)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.topics == nil {
		h.topics = map[string][]func(string){}
	}
	h.topics[topic] = append(h.topics[topic], handler)
}

func (h *handlers) OnReset(handler func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.resets = append(h.resets, handler)
}

func (h *handlers) deliver(topic, msg string) {
	h.mu.RLock()
	hs := h.topics[topic]
	h.mu.RUnlock()
	for _, fn := range hs {
		fn(msg)
	}
}

func (h *handlers) reset() {
	h.mu.RLock()
	rs := h.resets
	h.mu.RUnlock()
	for _, fn := range rs {
		fn()
	}
}

// Local delivers in-process, synchronously.
type Local struct{ handlers }

// NewLocal returns an in-process bus.
func NewLocal() *Local { return &Local{} }

// Publish delivers msg to this process's subscribers.
func (l *Local) Publish(_ context.Context, topic, msg string) error {
	l.deliver(topic, msg)
	return nil
}

// Close does nothing.
func (l *Local) Close() error { return nil }
