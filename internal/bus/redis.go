package bus

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

const channelPrefix = "tessera:bus:"

// Redis delivers through Redis pub/sub to every instance, this one included.
type Redis struct {
	handlers
	rdb    redis.UniversalClient
	ps     *redis.PubSub
	cancel context.CancelFunc
	done   chan struct{}
	ready  chan struct{}
	once   sync.Once
}

// NewRedis subscribes to the bus channels and returns once the subscription
// is confirmed, so that no message published after it returns is missed.
func NewRedis(ctx context.Context, rdb redis.UniversalClient) (*Redis, error) {
	runCtx, cancel := context.WithCancel(context.Background())
	b := &Redis{rdb: rdb, cancel: cancel, done: make(chan struct{}), ready: make(chan struct{})}
	b.ps = rdb.PSubscribe(runCtx, channelPrefix+"*")
	waitCtx, stop := context.WithTimeout(ctx, 5*time.Second)
	defer stop()
	if _, err := b.ps.Receive(waitCtx); err != nil {
		cancel()
		_ = b.ps.Close()
		return nil, err
	}
	go b.run(runCtx)
	return b, nil
}

func (b *Redis) run(ctx context.Context) {
	defer close(b.done)
	for {
		msg, err := b.ps.Receive(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, redis.ErrClosed) {
				return
			}
			// The connection dropped; go-redis resubscribes on the next
			// Receive. Messages in between are lost, so caches start over.
			slog.Warn("bus: redis subscription interrupted", "err", err)
			b.reset()
			select {
			case <-ctx.Done():
				return
			case <-time.After(200 * time.Millisecond):
			}
			continue
		}
		switch m := msg.(type) {
		case *redis.Message:
			b.deliver(strings.TrimPrefix(m.Channel, channelPrefix), m.Payload)
		case *redis.Subscription:
			// A (re)subscription confirmation: anything published while we
			// were away is lost.
			b.reset()
		}
	}
}

// Publish sends msg to every instance's subscribers.
func (b *Redis) Publish(ctx context.Context, topic, msg string) error {
	return b.rdb.Publish(ctx, channelPrefix+topic, msg).Err()
}

// Close stops the subscription.
func (b *Redis) Close() error {
	var err error
	b.once.Do(func() {
		b.cancel()
		err = b.ps.Close()
		<-b.done
	})
	return err
}
