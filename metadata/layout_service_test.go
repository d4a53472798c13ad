package metadata

import "testing"

func defaults(vs []ListView) []bool {
	out := make([]bool, len(vs))
	for i, v := range vs {
		out[i] = v.Default
	}
	return out
}

func TestNamedLists_KeepExactlyOneDefault(t *testing.T) {
	ok := func(*ListView) error { return nil }
	var vs []ListView
	if err := putNamed(&vs, ListView{APIName: "a"}, listViewItem, true, "list view", ok); err != nil {
		t.Fatal(err)
	}
	putNamed(&vs, ListView{APIName: "b"}, listViewItem, true, "list view", ok)
	if got := defaults(vs); !got[0] || got[1] {
		t.Fatalf("the first item becomes the default: %v", got)
	}
	putNamed(&vs, ListView{APIName: "b", Default: true}, listViewItem, false, "list view", ok)
	if got := defaults(vs); got[0] || !got[1] {
		t.Fatalf("a new default replaces the old: %v", got)
	}
	if err := putNamed(&vs, ListView{APIName: "b"}, listViewItem, true, "list view", ok); err == nil {
		t.Fatal("a duplicate name was created")
	}
	if err := putNamed(&vs, ListView{APIName: "zz"}, listViewItem, false, "list view", ok); err == nil {
		t.Fatal("a missing item was replaced")
	}
	if err := deleteNamed(&vs, "b", listViewItem, "deal", "list view"); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 1 || !vs[0].Default {
		t.Fatalf("deleting the default promotes the next: %+v", vs)
	}
	if err := deleteNamed(&vs, "b", listViewItem, "deal", "list view"); err == nil {
		t.Fatal("deleting a missing item succeeded")
	}
}
