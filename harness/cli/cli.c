#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backends.h"
#include "cli/options.h"
#include "core/config.h"
#include "util/error.h"
#include "util/parse.h"
#include "workloads/workloads.h"

#define CLI_MAX_NAMES 128

/* One option as found on the command line: its entry in opts, and for a
 * run option its definition. */
struct cli_match {
	const struct cli_option *o;
	const struct option_def *def;
};

static bool cli_run_visible(const struct option_def *def)
{
	return !(def->flags & OPTF_SWEEP_ONLY);
}

/* The entry of opts that takes --name (or -c for a one-letter name). */
static bool cli_find(const struct cli_option *opts, const char *name, char short_name,
		     struct cli_match *m)
{
	for (const struct cli_option *o = opts; o->type != CLI_END; o++) {
		m->o = o;
		m->def = NULL;
		if (short_name) {
			if (o->short_name == short_name)
				return true;
			continue;
		}
		if (o->type == CLI_RUN) {
			m->def = options_find(name);
			if (m->def && (o->name ? !strcmp(o->name, name) : cli_run_visible(m->def)))
				return true;
			continue;
		}
		if (!strcmp(o->name, name))
			return true;
	}
	return false;
}

/* Every long name opts accepts, for "did you mean". */
static unsigned long cli_names(const struct cli_option *opts, const char **names)
{
	unsigned long n = 0;

	for (const struct cli_option *o = opts; o->type != CLI_END && n < CLI_MAX_NAMES; o++) {
		if (o->type != CLI_RUN || o->name) {
			names[n++] = o->name;
			continue;
		}
		for (size_t k = 0; k < options_count && n < CLI_MAX_NAMES; k++)
			if (cli_run_visible(options[k]))
				names[n++] = options[k]->name;
	}
	return n;
}

static int cli_unknown(const struct cli_command *cmd, const struct cli_option *opts,
		       const char *arg, const char *name)
{
	const char *names[CLI_MAX_NAMES], *near;
	const struct option_def *def = options_find(name);

	if (def && (def->flags & OPTF_SWEEP_ONLY)) {
		error_msg("--%s is an option of sweep, not %s (see mmbench sweep --help)", name,
			  cmd->name);
		return EXIT_USAGE;
	}
	near = *name ? parse_nearest(name, names, cli_names(opts, names)) : NULL;
	if (near)
		error_msg("unknown option '%s' for %s (did you mean '--%s'? see mmbench %s --help)",
			  arg, cmd->name, near, cmd->name);
	else
		error_msg("unknown option '%s' for %s (see mmbench %s --help)", arg, cmd->name,
			  cmd->name);
	return EXIT_USAGE;
}

/* Armed by cli_options_of(): the command whose options the next
 * cli_parse() copies instead of parsing. */
static struct {
	const struct cli_command *cmd;
	struct cli_option *out;
	size_t cap;
	int n;
} cli_capture;

const char *cli_synopsis(const struct cli_command *cmd)
{
	static char buf[256];

	snprintf(buf, sizeof(buf), "mmbench %s%s%s", cmd->name, *cmd->args ? " " : "", cmd->args);
	return buf;
}

/* Store value for m; 0, or EXIT_USAGE after the message. */
static int cli_store(const struct cli_match *m, const char *flag, const char *value)
{
	const struct cli_option *o = m->o;
	char err[512];

	switch (o->type) {
	case CLI_FLAG:
		*(bool *)o->value = true;
		return 0;
	case CLI_STRING:
		*(const char **)o->value = value;
		return 0;
	case CLI_CHOICE:
		for (unsigned i = 0; o->choices[i]; i++) {
			if (!strcmp(o->choices[i], value)) {
				*(unsigned *)o->value = i;
				return 0;
			}
		}
		err[0] = '\0';
		for (unsigned i = 0; o->choices[i]; i++)
			snprintf(err + strlen(err), sizeof(err) - strlen(err), "%s%s",
				 i == 0 ? "" : o->choices[i + 1] ? ", " : " or ", o->choices[i]);
		error_msg("invalid value '%s' for %s (use %s)", value, flag, err);
		return EXIT_USAGE;
	case CLI_CALLBACK:
		if (o->parse(value, o->value)) {
			error_msg("invalid value '%s' for %s (%s)", value, flag, o->hint);
			return EXIT_USAGE;
		}
		return 0;
	case CLI_RUN: {
		struct config *cfg = o->value;

		if (options_set(cfg, m->def, value, err, sizeof(err))) {
			error_msg("%s", err);
			return EXIT_USAGE;
		}
		cfg->given |= 1ULL << options_index(m->def);
		return 0;
	}
	case CLI_END:
		break;
	}
	abort();
}

/* Whether m was given before; run options remember it in their config. */
static bool cli_seen(const struct cli_option *opts, const struct cli_match *m, bool *seen)
{
	if (m->def)
		return ((const struct config *)m->o->value)->given >> options_index(m->def) & 1;
	return seen[m->o - opts];
}

static int cli_option(const struct cli_command *cmd, const struct cli_option *opts, int argc,
		      char **argv, int *i, bool *seen)
{
	const char *arg = argv[*i], *value = NULL, *eq = NULL;
	char name[64], flag[80];
	struct cli_match m;
	bool takes_value;

	if (arg[1] == '-') {
		eq = strchr(arg, '=');
		snprintf(name, sizeof(name), "%.*s",
			 eq ? (int)(eq - arg - 2) : (int)strlen(arg + 2), arg + 2);
		if (!cli_find(opts, name, 0, &m))
			return cli_unknown(cmd, opts, arg, name);
	} else if (!arg[2] && cli_find(opts, NULL, arg[1], &m)) {
		snprintf(name, sizeof(name), "%s", m.o->name);
	} else {
		return cli_unknown(cmd, opts, arg, "");
	}
	snprintf(flag, sizeof(flag), "--%s", m.def ? m.def->name : m.o->name);
	takes_value = m.def ? m.def->type != OPT_FLAG : m.o->type != CLI_FLAG;
	if (!takes_value && eq) {
		error_msg("%s takes no value", flag);
		return EXIT_USAGE;
	}
	if (takes_value) {
		/* `--out --quiet` is a forgotten value, not a directory */
		if (eq)
			value = eq + 1;
		else if (*i + 1 < argc && strncmp(argv[*i + 1], "--", 2))
			value = argv[++*i];
		else {
			error_msg("missing value for %s", flag);
			return EXIT_USAGE;
		}
		if (!*value) {
			error_msg("empty value for %s", flag);
			return EXIT_USAGE;
		}
	}
	/* the second of two values would win without a word */
	if (cli_seen(opts, &m, seen) && takes_value && !(m.o->flags & CLIF_REPEAT)) {
		error_msg("%s given twice", flag);
		return EXIT_USAGE;
	}
	if (!m.def)
		seen[m.o - opts] = true;
	return cli_store(&m, flag, value);
}

int cli_parse(const struct cli_command *cmd, const struct cli_option *opts, int argc,
	      char **argv, const char **args, unsigned *nargs)
{
	bool seen[CLI_MAX_OPTIONS] = { false }, options_done = false;
	unsigned n = 0;
	int status;

	if (cli_capture.cmd == cmd) {
		size_t k = 0;

		for (; opts[k].type != CLI_END && k + 1 < cli_capture.cap; k++) {
			cli_capture.out[k] = opts[k];
			cli_capture.out[k].value = NULL;
		}
		cli_capture.out[k] = (struct cli_option)CLI_OPT_END;
		cli_capture.n = (int)k;
		cli_capture.cmd = NULL;
		return EXIT_USAGE;
	}
	for (int i = 0; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			break;
		else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli_help(stdout, cmd, opts);
			exit(0);
		}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!options_done && !strcmp(arg, "--")) {
			options_done = true;
			continue;
		}
		if (!options_done && arg[0] == '-' && arg[1]) {
			status = cli_option(cmd, opts, argc, argv, &i, seen);
			if (status)
				return status;
			continue;
		}
		if (n == cmd->max_args) {
			error_msg("unexpected argument '%s' for %s (usage: %s)", arg, cmd->name,
				  cli_synopsis(cmd));
			return EXIT_USAGE;
		}
		if (!*arg) {
			error_msg("empty argument for %s (usage: %s)", cmd->name, cli_synopsis(cmd));
			return EXIT_USAGE;
		}
		args[n++] = arg;
	}
	if (n < cmd->min_args) {
		error_msg("missing %sarguments for %s (usage: %s)", n ? "more " : "", cmd->name,
			  cli_synopsis(cmd));
		return EXIT_USAGE;
	}
	for (const struct cli_option *o = opts; o->type != CLI_END; o++) {
		struct cli_match m = { o, o->type == CLI_RUN && o->name ? options_find(o->name) : NULL };

		if ((o->flags & CLIF_REQUIRED) && !cli_seen(opts, &m, seen)) {
			error_msg("missing --%s for %s (usage: %s)", o->name, cmd->name,
				  cli_synopsis(cmd));
			return EXIT_USAGE;
		}
	}
	if (nargs)
		*nargs = n;
	return 0;
}

int cli_options_of(const struct cli_command *cmd, struct cli_option *out, size_t cap)
{
	char *argv[] = { NULL };

	if (!cap)
		return -1;
	cli_capture.cmd = cmd;
	cli_capture.out = out;
	cli_capture.cap = cap;
	cli_capture.n = -1;
	out[0] = (struct cli_option)CLI_OPT_END;
	cmd->main(0, argv);
	cli_capture.cmd = NULL;
	return cli_capture.n;
}

/* The names a list option takes: every built-in backend or workload, and
 * "all"; NULL-terminated, filled once. */
static const char *const *cli_list_choices(enum option_type type)
{
	static const char *bnames[CLI_MAX_NAMES], *wnames[CLI_MAX_NAMES];
	const char **names = type == OPT_BACKENDS ? bnames : wnames;
	size_t n = 0;

	if (names[0])
		return names;
	if (type == OPT_BACKENDS)
		for (const struct backend *const *b = backends; *b && n + 2 < CLI_MAX_NAMES; b++)
			names[n++] = (*b)->name;
	else
		for (const struct workload *const *w = workloads; *w && n + 2 < CLI_MAX_NAMES; w++)
			names[n++] = (*w)->name;
	names[n++] = "all";
	names[n] = NULL;
	return names;
}

static void cli_each_run(const struct option_def *def,
			 void (*fn)(const struct cli_entry *e, void *ctx), void *ctx)
{
	struct cli_entry e = {
		.name = def->name,
		.metavar = def->type == OPT_FLAG ? NULL : def->metavar,
		.help = def->help,
		.def = def->type != OPT_FLAG ? def->def : NULL,
		.choices = def->choices,
	};

	if (def->type == OPT_BACKENDS || def->type == OPT_WORKLOADS) {
		e.choices = cli_list_choices(def->type);
		e.list = true;
	}
	fn(&e, ctx);
}

void cli_each(const struct cli_option *opts, void (*fn)(const struct cli_entry *e, void *ctx),
	      void *ctx)
{
	for (const struct cli_option *o = opts; o->type != CLI_END; o++) {
		struct cli_entry e = {
			.name = o->name,
			.short_name = o->short_name,
			.metavar = o->type == CLI_FLAG ? NULL : o->metavar,
			.help = o->help,
			.choices = o->type == CLI_CHOICE ? o->choices : NULL,
		};

		if (o->type != CLI_RUN) {
			fn(&e, ctx);
			continue;
		}
		for (size_t k = 0; k < options_count; k++)
			if (o->name ? !strcmp(o->name, options[k]->name) : cli_run_visible(options[k]))
				cli_each_run(options[k], fn, ctx);
	}
}

static void cli_help_entry(const struct cli_entry *e, void *ctx)
{
	FILE *f = ctx;
	char left[64];

	snprintf(left, sizeof(left), "%s%s--%s%s%s", e->short_name ? "-" : "",
		 e->short_name ? (char[]){ e->short_name, ',', ' ', '\0' } : "", e->name,
		 e->metavar ? " " : "", e->metavar ? e->metavar : "");
	fprintf(f, "  %-22s %s", left, e->help);
	if (e->def)
		fprintf(f, " [%s]", e->def);
	fputc('\n', f);
}

void cli_help(FILE *f, const struct cli_command *cmd, const struct cli_option *opts)
{
	fprintf(f, "usage: %s\n\n%s", cli_synopsis(cmd), cmd->about);
	if (opts->type != CLI_END)
		fputs("\noptions (defaults in brackets):\n", f);
	cli_each(opts, cli_help_entry, f);
}
