package jobs_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/tessera-crm/tessera/internal/database"
	"github.com/tessera-crm/tessera/internal/jobs"
	"github.com/tessera-crm/tessera/internal/testutil"
)

// helperEnv carries the database URL to the child process of the restart
// test; TestHelperProcess does nothing without it.
const helperEnv = "JOBS_HELPER_DATABASE_URL"

const restartJobs = 200

// TestQueue_SurvivesKillMidQueue enqueues jobs, lets a child process work
// some of them, kills it with SIGKILL in the middle (transactions open, jobs
// fetched and running), then works the rest in this process: every job ends
// completed and its effect exists exactly once.
func TestQueue_SurvivesKillMidQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("about 25 s: waits for the killed process's leadership to expire")
	}
	for _, dialect := range testutil.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			t.Parallel()
			testSurvivesKill(t, dialect)
		})
	}
}

func testSurvivesKill(t *testing.T, dialect string) {
	ctx := context.Background()
	url := testutil.NewDatabaseURL(t, dialect)
	db, err := database.Open(ctx, url, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	createEffectsTable(t, db)
	q, err := jobs.New(ctx, db, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(q.Close)
	if err := jobs.Register(q, &effectWorker{db: db}); err != nil {
		t.Fatal(err)
	}
	batch := make([]river.InsertManyParams, restartJobs)
	for i := range batch {
		batch[i] = river.InsertManyParams{Args: effectArgs{TenantID: "t1"}}
	}
	if _, err := q.EnqueueMany(ctx, batch); err != nil {
		t.Fatal(err)
	}

	child := startHelper(t, url)
	deadline := time.Now().Add(20 * time.Second)
	// Kill when some jobs are done and others are being worked.
	for countEffects(t, db) < 40 || jobsIn(t, q, rivertype.JobStateRunning) < 2 {
		if time.Now().After(deadline) || child.exited() {
			t.Fatalf("the child did not get through 40 jobs (exited: %v); its output:\n%s", child.exited(), child.output())
		}
		time.Sleep(5 * time.Millisecond)
	}
	child.kill(t)
	done := countEffects(t, db)
	running := jobsIn(t, q, rivertype.JobStateRunning)
	t.Logf("killed the child after %d of %d jobs; %d left running", done, restartJobs, running)
	if done >= restartJobs {
		t.Fatalf("the child finished all jobs before it was killed")
	}
	if running == 0 {
		t.Fatalf("no job was running when the child was killed: the rescue is not exercised")
	}

	// A new process (here, this one) takes over: once the dead client's
	// leadership expires it rescues the jobs left running, and works all.
	start := time.Now()
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = q.Stop(stopCtx)
	})
	waitCtx, cancel := context.WithTimeout(ctx, 40*time.Second)
	defer cancel()
	if err := q.WaitIdle(waitCtx); err != nil {
		t.Fatal(err)
	}
	t.Logf("the restarted queue finished in %v", time.Since(start).Round(time.Millisecond))

	if n := countEffects(t, db); n != restartJobs {
		t.Errorf("effects = %d, want %d", n, restartJobs)
	}
	list, err := q.Client().JobList(ctx, river.NewJobListParams().First(10*restartJobs))
	if err != nil {
		t.Fatal(err)
	}
	rescued := 0
	for _, j := range list.Jobs {
		if j.State != rivertype.JobStateCompleted {
			t.Errorf("job %d is %s", j.ID, j.State)
		}
		if j.Attempt > 1 {
			rescued++
			for _, e := range j.Errors {
				t.Logf("job %d attempt %d: %s", j.ID, e.Attempt, e.Error)
			}
		}
		// A second run of an effect that had committed would fail on the
		// primary key and leave its error here.
		for _, e := range j.Errors {
			if msg := strings.ToLower(e.Error); strings.Contains(msg, "unique") || strings.Contains(msg, "duplicate") {
				t.Errorf("job %d ran its effect twice: %s", j.ID, e.Error)
			}
		}
	}
	if len(list.Jobs) != restartJobs {
		t.Errorf("%d jobs, want %d", len(list.Jobs), restartJobs)
	}
	var distinct, late int64
	if err := db.Gorm.Raw(`SELECT count(DISTINCT job_id) FROM job_effects`).Scan(&distinct).Error; err != nil {
		t.Fatal(err)
	}
	if distinct != restartJobs {
		t.Errorf("%d distinct effects, want %d", distinct, restartJobs)
	}
	// The jobs cut short by the kill kept no effect of their first attempt:
	// the effect that stands is the one written by the attempt that
	// completed the job.
	if err := db.Gorm.Raw(`SELECT count(*) FROM job_effects WHERE attempt > 1`).Scan(&late).Error; err != nil {
		t.Fatal(err)
	}
	if int(late) != rescued || rescued < running {
		t.Errorf("%d effects from a later attempt, %d jobs with more than one attempt, %d running at the kill", late, rescued, running)
	}
	t.Logf("%d jobs took more than one attempt", rescued)
}

func jobsIn(t *testing.T, q *jobs.Queue, state rivertype.JobState) int {
	t.Helper()
	list, err := q.Client().JobList(context.Background(), river.NewJobListParams().States(state).First(10*restartJobs))
	if err != nil {
		t.Fatal(err)
	}
	return len(list.Jobs)
}

// helper is the child process working the queue.
type helper struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
}

func startHelper(t *testing.T, url string) *helper {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), helperEnv+"="+url)
	h := &helper{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = h.out, h.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("start child: %v", err)
	}
	go func() {
		_ = cmd.Wait()
		close(h.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-h.done
	})
	return h
}

func (h *helper) exited() bool {
	select {
	case <-h.done:
		return true
	default:
		return false
	}
}

func (h *helper) output() string { return h.out.String() }

// kill sends SIGKILL: no deferred function, no graceful stop runs.
func (h *helper) kill(t *testing.T) {
	t.Helper()
	if err := h.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill child: %v", err)
	}
	<-h.done
	if h.cmd.ProcessState.Success() {
		t.Fatalf("the child exited by itself before the kill:\n%s", h.output())
	}
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestHelperProcess is the child of TestQueue_SurvivesKillMidQueue: it works
// the queue, slowly, until it is killed.
func TestHelperProcess(t *testing.T) {
	url := os.Getenv(helperEnv)
	if url == "" {
		return
	}
	ctx := context.Background()
	db, err := database.Open(ctx, url, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, db, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	// The pause inside the transaction keeps effects uncommitted at the kill.
	if err := jobs.Register(q, &effectWorker{db: db, slow: 20 * time.Millisecond, jitter: true}); err != nil {
		t.Fatal(err)
	}
	if err := q.Start(ctx); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute)
	t.Fatal("the child was not killed within a minute")
}
