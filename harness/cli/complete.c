#include "cli/complete.h"

#include <errno.h>
#include <string.h>

/* What completes the value of an option, by its metavar. */
static const char *complete_kind(const struct cli_entry *e)
{
	static const char *const dirs[] = { "DIR", "DATADIR", NULL };
	static const char *const files[] = { "PATH", "FILE", "CSV", "SUITE", NULL };

	if (!e->metavar)
		return NULL;
	if (e->choices)
		return e->list ? "list" : "one";
	for (const char *const *d = dirs; *d; d++)
		if (!strcmp(e->metavar, *d))
			return "dir";
	for (const char *const *p = files; *p; p++)
		if (!strcmp(e->metavar, *p))
			return "file";
	if (!strcmp(e->metavar, "CMD"))
		return "command";
	return "value";
}

/* Write the words of a bash single-quoted string: names hold no quote. */
static void complete_words(FILE *f, const char *const *words)
{
	for (const char *const *w = words; *w; w++)
		fprintf(f, "%s%s", w == words ? "" : " ", *w);
}

static void complete_name(const struct cli_entry *e, void *ctx)
{
	FILE *f = ctx;

	fprintf(f, " --%s", e->name);
	if (e->short_name)
		fprintf(f, " -%c", e->short_name);
}

static void complete_value(const struct cli_entry *e, void *ctx)
{
	FILE *f = ctx;
	const char *kind = complete_kind(e);

	if (!kind)
		return;
	fprintf(f, "\t\t--%s", e->name);
	if (e->short_name)
		fprintf(f, " | -%c", e->short_name);
	fprintf(f, ") kind='%s'", kind);
	if (e->choices) {
		fputs(" values='", f);
		complete_words(f, e->choices);
		fputc('\'', f);
	}
	fputs(" ;;\n", f);
}

/* zsh: an _arguments spec per option.  The help text is the description in
 * brackets; zsh reads ] : and \ there, and the spec is single-quoted. */
static void zsh_text(FILE *f, const char *text)
{
	for (const char *t = text; *t && *t != '\n'; t++) {
		if (*t == '\'')
			fputs("'\\''", f);
		else if (*t == '[' || *t == ']' || *t == ':' || *t == '\\')
			fprintf(f, "\\%c", *t);
		else
			fputc(*t, f);
	}
}

static void zsh_action(FILE *f, const struct cli_entry *e, const char *kind)
{
	fputc(':', f);
	zsh_text(f, e->metavar);
	fputc(':', f);
	if (!strcmp(kind, "one") || !strcmp(kind, "list")) {
		/* a comma-separated list completes its last item */
		fputs(strcmp(kind, "list") ? "(" : "_sequence compadd - ", f);
		complete_words(f, e->choices);
		if (!strcmp(kind, "one"))
			fputc(')', f);
	} else if (!strcmp(kind, "file")) {
		fputs("_files", f);
	} else if (!strcmp(kind, "dir")) {
		fputs("_files -/", f);
	} else if (!strcmp(kind, "command")) {
		fputs("_command_names -e", f);
	} else {
		fputs(" ", f);
	}
}

static void zsh_spec(FILE *f, const char *dashes, const char *name, const struct cli_entry *e)
{
	const char *kind = complete_kind(e);

	fprintf(f, " \\\n\t\t\t'%s%s%s[", dashes, name, kind ? "=" : "");
	zsh_text(f, e->help ? e->help : "");
	fputc(']', f);
	if (kind)
		zsh_action(f, e, kind);
	fputc('\'', f);
}

static void zsh_option(const struct cli_entry *e, void *ctx)
{
	FILE *f = ctx;
	char short_name[2] = { e->short_name, '\0' };

	zsh_spec(f, "--", e->name, e);
	if (e->short_name)
		zsh_spec(f, "-", short_name, e);
}

int complete_zsh(FILE *f, const struct cli_command *const *cmds, const char *const *scripts)
{
	struct cli_option opts[CLI_MAX_OPTIONS];

	fputs("#compdef mmbench\n"
	      "# zsh completion of mmbench, written by `mmbench --completion zsh` from the\n"
	      "# tables its --help prints: do not edit, regenerate.\n"
	      "_mmbench() {\n"
	      "\tlocal -a commands\n"
	      "\tcommands=(\n",
	      f);
	for (const struct cli_command *const *c = cmds; *c; c++) {
		fprintf(f, "\t\t'%s:", (*c)->name);
		zsh_text(f, (*c)->summary ? (*c)->summary : "");
		fputs("'\n", f);
	}
	for (const char *const *s = scripts; s && *s; s++)
		fprintf(f, "\t\t'%s:script command (mmbench %s --help)'\n", *s, *s);
	fputs("\t)\n"
	      "\tif (( CURRENT == 2 )); then\n"
	      "\t\t_describe -t commands 'mmbench command' commands\n"
	      "\t\tcompadd -- --list --help --version --exec-path\n"
	      "\t\treturn\n"
	      "\tfi\n"
	      "\tshift words; (( CURRENT-- ))\n"
	      "\tcase $words[1] in\n",
	      f);
	for (const struct cli_command *const *c = cmds; *c; c++) {
		if (cli_options_of(*c, opts, CLI_MAX_OPTIONS) < 0)
			return -EINVAL;
		fprintf(f, "\t%s)\n\t\t_arguments -S '--help[show the help]'", (*c)->name);
		cli_each(opts, zsh_option, f);
		fputs(" \\\n\t\t\t'*:argument:_files' ;;\n", f);
	}
	fputs("\t*) _files ;;\n"
	      "\tesac\n"
	      "}\n"
	      "_mmbench \"$@\"\n",
	      f);
	return 0;
}

int complete_bash(FILE *f, const struct cli_command *const *cmds, const char *const *scripts)
{
	struct cli_option opts[CLI_MAX_OPTIONS];

	fputs("# bash completion of mmbench, written by `mmbench --completion bash` from the\n"
	      "# tables its --help prints: do not edit, regenerate.\n"
	      "_mmbench() {\n"
	      "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev='' cmd='' kind='' opts='' values='' i\n"
	      "\t[ \"$COMP_CWORD\" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	      "\t# --name=value: bash splits at the =\n"
	      "\tif [ \"$cur\" = = ]; then cur=''; prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
	      "\telif [ \"$prev\" = = ] && [ \"$COMP_CWORD\" -gt 1 ]; then "
	      "prev=${COMP_WORDS[COMP_CWORD - 2]}; fi\n"
	      "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	      "\t\tcase ${COMP_WORDS[i]} in -*) ;; *) cmd=${COMP_WORDS[i]}; break ;; esac\n"
	      "\tdone\n"
	      "\tCOMPREPLY=()\n"
	      "\tif [ -z \"$cmd\" ]; then\n"
	      "\t\tmapfile -t COMPREPLY < <(compgen -W '",
	      f);
	for (const struct cli_command *const *c = cmds; *c; c++)
		fprintf(f, "%s ", (*c)->name);
	for (const char *const *s = scripts; s && *s; s++)
		fprintf(f, "%s ", *s);
	fputs("--list --help --version --exec-path' -- \"$cur\")\n"
	      "\t\treturn 0\n"
	      "\tfi\n"
	      "\tcase $cmd in\n",
	      f);
	for (const struct cli_command *const *c = cmds; *c; c++) {
		if (cli_options_of(*c, opts, CLI_MAX_OPTIONS) < 0)
			return -EINVAL;
		fprintf(f, "\t%s)\n\t\topts='--help", (*c)->name);
		cli_each(opts, complete_name, f);
		fputs("'\n\t\tcase $prev in\n", f);
		cli_each(opts, complete_value, f);
		fputs("\t\tesac ;;\n", f);
	}
	fputs("\t*) opts='--help' ;;\n"
	      "\tesac\n"
	      "\tcase $kind in\n"
	      "\tone) mapfile -t COMPREPLY < <(compgen -W \"$values\" -- \"$cur\") ;;\n"
	      "\tlist) # the last item of a comma-separated list\n"
	      "\t\tlocal head=${cur%\"${cur##*,}\"}\n"
	      "\t\tmapfile -t COMPREPLY < <(compgen -P \"$head\" -W \"$values\" -- \"${cur##*,}\") ;;\n"
	      "\tfile) mapfile -t COMPREPLY < <(compgen -f -- \"$cur\") ;;\n"
	      "\tdir) mapfile -t COMPREPLY < <(compgen -d -- \"$cur\") ;;\n"
	      "\tcommand) mapfile -t COMPREPLY < <(compgen -c -- \"$cur\") ;;\n"
	      "\tvalue) ;;\n"
	      "\t*)\n"
	      "\t\tif [ \"${cur#-}\" != \"$cur\" ]; then\n"
	      "\t\t\tmapfile -t COMPREPLY < <(compgen -W \"$opts\" -- \"$cur\")\n"
	      "\t\telse\n"
	      "\t\t\tmapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
	      "\t\tfi ;;\n"
	      "\tesac\n"
	      "\treturn 0\n"
	      "}\n"
	      "complete -o filenames -F _mmbench mmbench\n",
	      f);
	return 0;
}
