/*
 * cli.h - the one command-line parser of every subcommand, in the manner
 * of git's parse_options(): a subcommand describes its options in an array
 * that ends with CLI_END, and cli_parse() does the rest the same way for
 * all of them: `--name value` and `--name=value`, `--` ending the options,
 * `--help`, one-line errors naming the flag and the value (exit status 2),
 * "did you mean", options given twice, required options, and the count of
 * positional arguments.  `mmbench run` options (options.h) plug in as
 * CLI_RUN entries, so their bounds and messages are the same everywhere.
 */
#ifndef MMBENCH_CLI_H
#define MMBENCH_CLI_H

#include <stdbool.h>
#include <stdio.h>

enum cli_type {
	CLI_END,      /* ends the array */
	CLI_FLAG,     /* no value; value: bool *, set to true */
	CLI_STRING,   /* value: const char **, never empty */
	CLI_CHOICE,   /* value: unsigned *, the index in choices[] */
	CLI_CALLBACK, /* value: whatever parse() fills; parse() returns 0 or -EINVAL */
	CLI_RUN,      /* value: struct config *; the run option called name, every
		       * run option (but the sweep's) when name is NULL */
};

/* The most options one command takes. */
#define CLI_MAX_OPTIONS 64

/* Option flags. */
#define CLIF_REQUIRED (1u << 0) /* the command cannot run without it */
#define CLIF_REPEAT (1u << 1)	/* may be given more than once (each value is passed on) */

struct cli_option {
	enum cli_type type;
	const char *name;    /* long name, without the dashes */
	char short_name;     /* a one-letter alias (-o), or 0 */
	const char *metavar; /* shown in --help; NULL for flags */
	void *value;
	const char *help;
	const char *const *choices;	/* CLI_CHOICE: NULL-terminated */
	int (*parse)(const char *arg, void *value); /* CLI_CALLBACK */
	const char *hint; /* CLI_CALLBACK: what a valid value looks like */
	unsigned flags;	  /* CLIF_* */
};

#define CLI_OPT_FLAG(n, v, h) { .type = CLI_FLAG, .name = (n), .value = (v), .help = (h) }
#define CLI_OPT_STRING(n, m, v, h)                                                            \
	{ .type = CLI_STRING, .name = (n), .metavar = (m), .value = (v), .help = (h) }
#define CLI_OPT_CHOICE(n, m, v, c, h)                                                         \
	{ .type = CLI_CHOICE, .name = (n), .metavar = (m), .value = (v), .choices = (c),       \
	  .help = (h) }
#define CLI_OPT_CALLBACK(n, m, v, p, hint_, h)                                                \
	{ .type = CLI_CALLBACK, .name = (n), .metavar = (m), .value = (v), .parse = (p),       \
	  .hint = (hint_), .help = (h) }
#define CLI_OPT_RUN(n, cfg) { .type = CLI_RUN, .name = (n), .value = (cfg) }
#define CLI_OPT_END { .type = CLI_END }

/* A subcommand: what `mmbench --help` lists and `mmbench CMD --help` prints. */
struct cli_command {
	const char *name;
	const char *args;    /* after the name in the usage line: "BASELINE CURRENT [options]" */
	const char *summary; /* one line for mmbench --help */
	const char *about;   /* the paragraphs of CMD --help, before the options */
	int (*main)(int argc, char **argv);
	unsigned min_args, max_args; /* positional arguments */
};

/* Parse argv[0..argc) of cmd against opts, storing positional arguments in
 * args (room for cmd->max_args) and their count in *nargs (may be NULL when
 * max_args is 0).  `--help` or `-h` prints the help and exits 0.  Returns 0,
 * or EXIT_USAGE after printing one line naming the flag and the value. */
int cli_parse(const struct cli_command *cmd, const struct cli_option *opts, int argc,
	      char **argv, const char **args, unsigned *nargs);

/* Print cmd's help: usage line, about, and the options of opts. */
void cli_help(FILE *f, const struct cli_command *cmd, const struct cli_option *opts);

/* "mmbench CMD ARGS", as the usage line of --help shows it. */
const char *cli_synopsis(const struct cli_command *cmd);

/* One option as --help shows it: an entry of a cli_option array, or one
 * `mmbench run` option of a CLI_RUN entry.  --help, the man pages and the
 * completions (cli/doc.c) all walk the options through cli_each(). */
struct cli_entry {
	const char *name;	    /* long name, without the dashes */
	char short_name;	    /* or 0 */
	const char *metavar;	    /* NULL for a flag */
	const char *help;
	const char *def;	    /* the default as a user would type it, or NULL */
	const char *const *choices; /* the values it takes (NULL-terminated), or NULL */
	bool list;		    /* a comma-separated list of choices (--backend a,b) */
};

/* Call fn for every option opts accepts, in --help order. */
void cli_each(const struct cli_option *opts, void (*fn)(const struct cli_entry *e, void *ctx),
	      void *ctx);

/* The options of cmd without running it: calls cmd->main with no
 * arguments while the next cli_parse() of cmd copies its options into out
 * (room for cap, CLI_END included, values NULL) and returns at once.
 * Returns the number of options, or -1 when cmd did not call cli_parse().
 * What the copies point to must outlive cmd->main: a command's choices
 * are static arrays, never its locals. */
int cli_options_of(const struct cli_command *cmd, struct cli_option *out, size_t cap);

#endif
