package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/warren-wiki/warren/storage/robot"
	"github.com/warren-wiki/warren/wiki"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit statuses: 2 for anything the user can fix by changing the command
// line (the convention of getopt tools), 1 for failures of warren itself.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// dataDefault is where every subcommand looks for DATA unless told.
const dataDefault = "./data"

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the exit status. Every failure
// is reported as exactly one line, "warren: …", on stderr.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills at once
	}()
	started := false
	root := newRootCmd(&started)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "warren: "+oneLine(errorMessage(err)))
	return exitCode(err, started)
}

// newRootCmd builds the command tree. started is set once the command line
// has parsed and the environment is bound: an error before that point is
// always a usage error.
func newRootCmd(started *bool) *cobra.Command {
	root := &cobra.Command{
		Use:           "warren",
		Short:         "Many git-backed Markdown wikis from one binary",
		Long:          "warren hosts many git-backed Markdown wikis from one binary.\n\nEvery flag can also be set from the environment: --max-open-wikis from\nWARREN_MAX_OPEN_WIKIS, --data from WARREN_DATA, and so on. A flag on the\ncommand line wins over the environment.",
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Subcommands must not define their own PersistentPreRunE: cobra
		// would then skip this one and the environment would not be read.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := bindEnv(cmd.Flags()); err != nil {
				return err
			}
			*started = true
			return nil
		},
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(newServeCmd(), newWikiCmd(), newGrantCmd(), newRevokeCmd(), newGrantsCmd(), newTokenCmd(), newDemoCmd(),
		newProtectCmd(), newUnprotectCmd(), newQuotaCmd(), newAuditCmd()) // farm.go, protect.go, audit.go
	root.AddCommand(newWebhookCmd(), newBackupCmd(), newRestoreCmd(), newExportCmd(), newImportCmd()) // webhook.go, backup.go, restore.go
	return root
}

// bindEnv gives every flag not set on the command line the value of its
// WARREN_<NAME> environment variable, if there is one.
func bindEnv(fs *pflag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *pflag.Flag) {
		if err != nil || f.Changed || f.Name == "help" || f.Name == "version" || f.Annotations[noEnv] != nil {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		if serr := fs.Set(f.Name, v); serr != nil {
			err = usageErr("invalid %s %q: %v", name, v, serr)
		}
	})
	return err
}

// noEnv marks flags that only the command line sets: a change to one
// wiki's settings must never come from a variable left in the environment.
const noEnv = "warren-no-env"

// envName is the environment variable for a flag: --max-open-wikis is
// WARREN_MAX_OPEN_WIKIS.
func envName(flag string) string {
	return "WARREN_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// usageErr reports a bad argument: exit status 2 and the message alone.
func usageErr(format string, args ...any) error {
	return wiki.Errorf(wiki.EINVALID, format, args...)
}

// exitCode maps an error to the exit status: what the user can fix by
// changing the command line (bad arguments, a wiki that exists or does not)
// is 2, anything else 1.
func exitCode(err error, started bool) int {
	if !started {
		return exitUsage // cobra refused the command line itself
	}
	switch wiki.ErrorCode(err) {
	case wiki.EINVALID, wiki.EEXISTS, wiki.ENOTFOUND:
		return exitUsage
	}
	return exitError
}

// errorMessage is the text shown for err: a domain error's user message,
// or the full error for anything else (the CLI user is the operator).
func errorMessage(err error) string {
	var we *wiki.Error
	if errors.As(err, &we) {
		return we.Message
	}
	return err.Error()
}

// oneLine keeps the first line: cobra appends suggestions on later lines.
func oneLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// exactArgs and minArgs check the positional arguments and name the right
// usage in their one-line error.
func exactArgs(n int, usage string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != n {
			return usageErr("usage: %s", usage)
		}
		return nil
	}
}

func minArgs(n int, usage string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) < n {
			return usageErr("usage: %s", usage)
		}
		return nil
	}
}

// groupCmd is a command that only holds subcommands: alone it shows its
// help; with an unknown subcommand it is a usage error (cobra would
// otherwise print help and succeed).
func groupCmd(use, short string, subs ...*cobra.Command) *cobra.Command {
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageErr("unknown command %q for %q", args[0], cmd.CommandPath())
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(subs...)
	return cmd
}

// dataFlag adds --data to a subcommand.
func dataFlag(cmd *cobra.Command, data *string) {
	cmd.Flags().StringVar(data, "data", dataDefault, "data directory (robot.db and wikis/)")
}

// openRobot opens robot.db in an existing data directory. Only commands that
// create wikis may create a data directory, so a mistyped --data is an error
// instead of a new empty warren.
func openRobot(ctx context.Context, data string, create bool) (*robot.Robot, error) {
	if !create {
		if _, err := os.Stat(filepath.Join(data, robot.RobotFile)); errors.Is(err, os.ErrNotExist) {
			return nil, wiki.Errorf(wiki.ENOTFOUND, "no warren data in %s (no %s); create a wiki first or pass --data", data, robot.RobotFile)
		} else if err != nil {
			return nil, err
		}
	}
	return robot.OpenRobot(ctx, data)
}

// cliActor is the audit trail's name for changes made on the command line.
const cliActor = "cli"
