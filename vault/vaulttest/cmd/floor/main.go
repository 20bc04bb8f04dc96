// Command floor is make bench's baseline: Go start-up plus one decrypt of a
// file-backend keyring item, and nothing else. aws-vault's warm path
// cannot be faster than this.
package main

import (
	"fmt"
	"os"

	jose "github.com/dvsekhvalnov/jose2go"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: floor ITEM-FILE PASSPHRASE")
		os.Exit(2)
	}
	token, err := os.ReadFile(os.Args[1])
	if err == nil {
		_, _, err = jose.Decode(string(token), os.Args[2])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}
