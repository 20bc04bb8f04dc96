//go:build !linux && !windows && !darwin && !freebsd && !openbsd && !netbsd && !dragonfly

package server

import (
	"errors"
	"runtime"
)

var errNoAlias = errors.New("the EC2 metadata proxy cannot alias 169.254.169.254 on " + runtime.GOOS)

func aliasAddCommand() ([]string, error)    { return nil, errNoAlias }
func aliasRemoveCommand() ([]string, error) { return nil, errNoAlias }
