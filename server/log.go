package server

import (
	"io"
	"log"
)

// discardLogger silences net/http's own error log.
var discardLogger = log.New(io.Discard, "", 0)
