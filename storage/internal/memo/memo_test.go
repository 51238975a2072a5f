package memo_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/warren-wiki/warren/storage/internal/memo"
)

type key string

func (k key) Size() int { return len(k) }

// TestAnswerFromBeforeAChangeIsNeverServed stores an answer computed
// before a change and expects a miss, and a miss after Changed.
func TestAnswerFromBeforeAChangeIsNeverServed(t *testing.T) {
	var m memo.Memo[key]
	gen := m.Gen()
	m.Changed() // the data changed while the answer was computed
	m.Put("a", gen, 1, 8)
	if _, ok := m.Get("a"); ok {
		t.Fatal("an answer computed before a change was kept")
	}
	m.Put("a", m.Gen(), 2, 8)
	if v, ok := m.Get("a"); !ok || v != 2 {
		t.Fatalf("Get = %v, %v; want 2, true", v, ok)
	}
	m.Changed()
	if _, ok := m.Get("a"); ok {
		t.Fatal("an answer survived Changed")
	}
}

// TestOversizedAnswerIsNotKept bounds what one answer may hold.
func TestOversizedAnswerIsNotKept(t *testing.T) {
	var m memo.Memo[key]
	m.Put("big", m.Gen(), "x", memo.MaxItem)
	if _, ok := m.Get("big"); ok {
		t.Fatal("an answer over MaxItem was kept")
	}
}

// TestBudgetStartsOver keeps the memo's bytes under Budget.
func TestBudgetStartsOver(t *testing.T) {
	var m memo.Memo[key]
	for i := range memo.Budget / (memo.MaxItem / 2) {
		m.Put(key(rune('a'+i)), m.Gen(), i, memo.MaxItem/2)
	}
	if _, ok := m.Get("a"); ok {
		t.Fatal("the first answer is still kept after the budget was spent")
	}
}

// TestDoKeepsCopies hands out copies, computes once, and keeps no error.
func TestDoKeepsCopies(t *testing.T) {
	var m memo.Memo[key]
	calls := 0
	compute := func() ([]int, error) { calls++; return []int{1, 2}, nil }
	size := func(v []int) int { return 8 * len(v) }
	first, _ := memo.Do(&m, "k", slices.Clone, size, compute)
	first[0] = 99 // the caller's copy is its own
	second, err := memo.Do(&m, "k", slices.Clone, size, compute)
	if err != nil || calls != 1 || second[0] != 1 {
		t.Fatalf("second = %v, %v after %d computations; want [1 2] from one", second, err, calls)
	}
	boom := errors.New("boom")
	if _, err := memo.Do(&m, "e", nil, size, func() ([]int, error) { return nil, boom }); err != boom {
		t.Fatalf("err = %v, want boom", err)
	}
	if _, ok := m.Get("e"); ok {
		t.Fatal("a failed computation was kept")
	}
}
