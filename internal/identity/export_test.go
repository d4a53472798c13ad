package identity

import "time"

// SetClock replaces the service's clock, for tests of expiry.
func SetClock(s *Service, now func() time.Time) { s.now = now }

// SetLimiterClock replaces an in-process limiter's clock.
func SetLimiterClock(l *MemoryLimiter, now func() time.Time) { l.now = now }
