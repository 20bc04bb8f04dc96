package dbusguard

import "testing"

func TestWantsBus(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  string
		want bool
	}{
		{nil, "", true},
		{nil, "file", false},
		{nil, "secret-service", true},
		{[]string{"--backend", "file", "list"}, "secret-service", false},
		{[]string{"list", "--backend=kwallet"}, "file", true},
		{[]string{"exec", "p", "--", "--backend", "file"}, "", true},
		{[]string{"--backend"}, "pass", false},
	} {
		if got := wantsBus(tc.args, tc.env); got != tc.want {
			t.Errorf("wantsBus(%q, %q) = %v, want %v", tc.args, tc.env, got, tc.want)
		}
	}
}

func TestBusReachableWithAddress(t *testing.T) {
	if !busReachable("unix:path=/nonexistent") {
		t.Error("an explicit address counts as reachable")
	}
}
