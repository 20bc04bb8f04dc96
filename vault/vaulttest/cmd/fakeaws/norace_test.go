//go:build !race

package main

// raceEnabled tells whether the test binary was built with -race.
const raceEnabled = false
