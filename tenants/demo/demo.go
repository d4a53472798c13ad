// Package demo fills a tenant that runs the standard sales template with
// realistic data: Chinese and international accounts, their contacts, leads,
// opportunities across the pipeline and a calendar of activities. The data
// is deterministic for a seed and relative to a given "now", so screenshots,
// demos and tests see the same records.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Writer creates records through the engine. Values use the records API's
// JSON forms: strings for text, picklist option api names, decimals
// ("125000.00"), dates ("2025-03-01") and datetimes (RFC 3339 UTC); bool;
// []string for multi-picklists; lookups as the id string an earlier
// CreateMany returned. It returns the new ids in the order of records.
type Writer interface {
	CreateMany(ctx context.Context, object string, records []map[string]any) (ids []string, err error)
}

// Options shape a run.
type Options struct {
	// Seed makes the data: the same seed (and Now) gives the same records.
	Seed int64
	// Now anchors dates: closed deals lie in the year before it, open ones
	// and upcoming activities after it. Zero means the current time.
	Now time.Time
	// Accounts is how many accounts to create (default 300); the other
	// objects scale with it, about 2,000 records in all by default.
	Accounts int
}

// DefaultAccounts is the number of accounts when Options.Accounts is zero.
const DefaultAccounts = 300

// BatchSize is the most records Generate passes to one CreateMany call.
const BatchSize = 200

// Summary counts the records created per object.
type Summary map[string]int

// Total is the number of records created.
func (s Summary) Total() int {
	n := 0
	for _, c := range s {
		n += c
	}
	return n
}

// Generate creates the demo data through w, in dependency order: products,
// accounts, contacts, leads, opportunities, activities. On error the
// summary counts what was created before it.
func Generate(ctx context.Context, w Writer, opts Options) (Summary, error) {
	if opts.Accounts < 0 {
		return nil, errors.New("demo: accounts must not be negative")
	}
	if opts.Accounts == 0 {
		opts.Accounts = DefaultAccounts
	}
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	d := plan(opts)
	bw := &batchWriter{w: w, summary: Summary{}}
	steps := []struct {
		object  string
		records func() []map[string]any
		ids     func([]string)
	}{
		{"product", d.productRecords, func([]string) {}},
		{"account", d.accountRecords, d.setAccountIDs},
		{"contact", d.contactRecords, d.setContactIDs},
		{"lead", d.leadRecords, d.setLeadIDs},
		{"opportunity", d.opportunityRecords, d.setOpportunityIDs},
		{"activity", d.activityRecords, func([]string) {}},
	}
	for _, s := range steps {
		ids, err := bw.create(ctx, s.object, s.records())
		if err != nil {
			return bw.summary, err
		}
		s.ids(ids)
	}
	return bw.summary, nil
}

// batchWriter sends records in batches and counts them.
type batchWriter struct {
	w       Writer
	summary Summary
}

func (b *batchWriter) create(ctx context.Context, object string, records []map[string]any) ([]string, error) {
	ids := make([]string, 0, len(records))
	for start := 0; start < len(records); start += BatchSize {
		batch := records[start:min(start+BatchSize, len(records))]
		got, err := b.w.CreateMany(ctx, object, batch)
		if err != nil {
			return nil, fmt.Errorf("demo: create %s records %d-%d: %w", object, start+1, start+len(batch), err)
		}
		if len(got) != len(batch) {
			return nil, fmt.Errorf("demo: create %s: the writer returned %d ids for %d records", object, len(got), len(batch))
		}
		ids = append(ids, got...)
		b.summary[object] += len(batch)
	}
	return ids, nil
}
