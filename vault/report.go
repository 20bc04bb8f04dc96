package vault

// Reporter is told what a long operation (rotate, import) has done and
// what the user should know. The core never prints: package cli renders
// the three kinds of line, in aws-vault v7's places (progress on stdout,
// notes and warnings on stderr with their "aws-vault: note:" and
// "aws-vault: warning:" prefixes).
type Reporter interface {
	// Progress is a step done or about to be done, e.g. "Creating a new
	// access key": the command's output.
	Progress(msg string)
	// Note is something the user should know that needs no action.
	Note(msg string)
	// Warning is something that may need the user's action.
	Warning(msg string)
}

// quiet is the Reporter of callers that want no reports.
type quiet struct{}

func (quiet) Progress(string) {}
func (quiet) Note(string)     {}
func (quiet) Warning(string)  {}
