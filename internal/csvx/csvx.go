// Package csvx holds what every CSV export of Tessera shares: the byte order
// mark and the neutralising of cells a spreadsheet would run as formulas.
package csvx

import "strings"

// BOM starts every export so that Excel reads it as UTF-8 (Chinese text
// otherwise opens garbled).
const BOM = "\uFEFF"

// Cell returns s safe to put in a CSV cell: text starting with = + - @ (or a
// tab or carriage return) is a formula to spreadsheet programs, so it gets a
// leading apostrophe (CSV injection). Numbers such as -5 or +1.5 are left
// alone: they are not formulas and must stay numbers.
func Cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) && !looksNumeric(s) {
		return "'" + s
	}
	return s
}

func looksNumeric(s string) bool {
	for i, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || (i == 0 && (r == '-' || r == '+'))) {
			return false
		}
	}
	return true
}
