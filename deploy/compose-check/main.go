// compose-check loads a Compose file with compose-go, the loader `docker compose` itself uses:
// schema validation, interpolation, extension merges and dependency checks, with no Docker engine.
// It prints the normalised model as JSON, or the first problem and exits 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <docker-compose.yml>")
		os.Exit(2)
	}
	options, err := cli.NewProjectOptions([]string{os.Args[1]}, cli.WithName("fanout"), cli.WithOsEnv)
	if err == nil {
		var project any
		project, err = options.LoadProject(context.Background())
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(project)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
