// Package exprtext holds what the filter language and the expression
// language share about their source text: converting expr's positions to
// the byte offsets clients index by, and suggesting the name a typo meant.
package exprtext

import (
	"strings"
	"unicode/utf8"
)

// RuneToByte converts expr's rune index of a node to a byte offset in src;
// clients index the string they sent by byte.
func RuneToByte(src string, runeIndex int) int {
	if runeIndex <= 0 {
		return 0
	}
	i := 0
	for b := range src {
		if i == runeIndex {
			return b
		}
		i++
	}
	return len(src)
}

// LineColumnOffset converts expr's 1-based line and 0-based rune column of
// a syntax error to a byte offset.
func LineColumnOffset(src string, line, column int) int {
	pos := 0
	for l := 1; l < line && pos < len(src); pos++ {
		if src[pos] == '\n' {
			l++
		}
	}
	for c := 0; c < column && pos < len(src); c++ {
		_, size := utf8.DecodeRuneInString(src[pos:])
		pos += size
	}
	return pos
}

// FirstInvalidByte is the offset of the first byte that is not UTF-8.
func FirstInvalidByte(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return 0
}

// Suggest returns the candidate closest to name when it is close enough to
// be a typo ("amout" for "amount"), or "".
func Suggest(name string, candidates []string) string {
	name = strings.ToLower(name)
	limit := maxTypos(len(name))
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if abs(len(c)-len(name)) > limit {
			continue // cannot be within the limit; skip the quadratic work
		}
		if d := editDistance(name, strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// maxTypos grows with the name: one slip in a short name already changes a
// large part of it.
func maxTypos(n int) int {
	switch {
	case n <= 4:
		return 1
	case n <= 10:
		return 2
	}
	return 3
}

// editDistance counts the insertions, deletions, substitutions and swaps of
// adjacent letters that turn a into b (optimal string alignment): a swap is
// the most common typo and should cost one. By byte: api names are ASCII.
func editDistance(a, b string) int {
	// Three rows: the swap looks two rows back.
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
