package cli_test

import (
	"time"

	"testing"

	"github.com/awsvault/aws-vault/vault/vaulttest"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestAWSTimeoutScripts runs testdata/awstimeout: AWS calls bounded by
// AWS_VAULT_AWS_TIMEOUT against a stalled or dripping emulator.
func TestAWSTimeoutScripts(t *testing.T) {
	t.Parallel()
	p := scriptParams(t, "testdata/awstimeout")
	p.Cmds["awsslow"] = cmdAWSSlow
	p.Cmds["stopwatch"] = cmdStopwatch
	testscript.Run(t, p)
}

// awsslow ACTION stall|drip: the next call of ACTION is accepted and never
// answered, or answered one byte a second.
func cmdAWSSlow(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 || (args[1] != "stall" && args[1] != "drip") {
		ts.Fatalf("usage: awsslow action stall|drip")
	}
	emulator(ts).Fault(args[0], vaulttest.FaultSpec{Stall: args[1] == "stall", Drip: args[1] == "drip", Times: 1})
}

// stopwatch start | stopwatch between MIN MAX: the time since start must
// lie between the two durations.
func cmdStopwatch(ts *testscript.TestScript, neg bool, args []string) {
	switch {
	case !neg && len(args) == 1 && args[0] == "start":
		ts.Setenv("STOPWATCH", time.Now().Format(time.RFC3339Nano))
	case !neg && len(args) == 3 && args[0] == "between":
		start, err := time.Parse(time.RFC3339Nano, ts.Getenv("STOPWATCH"))
		ts.Check(err)
		lo, err := time.ParseDuration(args[1])
		ts.Check(err)
		hi, err := time.ParseDuration(args[2])
		ts.Check(err)
		if d := time.Since(start); d < lo || d > hi {
			ts.Fatalf("%v since stopwatch start; want between %v and %v", d, lo, hi)
		}
	default:
		ts.Fatalf("usage: stopwatch start | stopwatch between min max")
	}
}
