//go:build race

package main

// raceEnabled makes the test build the command with -race too, reusing the
// packages the race-enabled test build already compiled.
const raceEnabled = true
