/* driver_warn.c - ebpf-cc's warning options as clang reads them (-W<flag>, -Wno-<flag>,
 * -Werror[=<flag>], -Wno-error=<flag>, -w, -Wall and groups), and which recorded
 * warning is shown or turned into an error. */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "driver_int.h"

/* Options that start with -W but are not warnings: they go to another tool. */
static bool other_tool_option(const char *arg)
{
	return !strncmp(arg, "-Wl,", 4) || !strncmp(arg, "-Wa,", 4) || !strncmp(arg, "-Wp,", 4);
}

/* -Wunused: every unused-* warning except unused-parameter (-Wextra). */
static bool in_unused_group(const char *flag)
{
	return !strncmp(flag, "unused-", 7) && strcmp(flag, "unused-parameter") != 0;
}

/* Whether group or flag `setting` covers warning `flag`. */
static bool covers(const char *setting, const char *flag)
{
	if (!strcmp(setting, flag) || !strcmp(setting, "everything"))
		return true;
	if (!strcmp(setting, "unused"))
		return in_unused_group(flag);
	if (!strcmp(setting, "implicit"))
		return !strcmp(flag, "implicit-int");
	if (!strcmp(setting, "all") || !strcmp(setting, "most"))
		return in_unused_group(flag) || !strcmp(flag, "implicit-int");
	return false;
}

/* Warnings clang shows only when asked (-Wall, their flag): the unused-* ones, and
 * implicit int in C89 where it is valid. Every other warning we give is on by default. */
static bool off_by_default(const struct driver_warnings *w, const char *flag)
{
	return !strncmp(flag, "unused-", 7) || (w->c89 && !strcmp(flag, "implicit-int"));
}

int driver_warnings_parse(struct driver_warnings *w, const char *arg)
{
	struct driver_warning_setting s = { 0 };

	if (!strcmp(arg, "-w")) {
		w->none = true;
		return 0;
	}
	if (other_tool_option(arg)) {
		fprintf(stderr, "ebpf-cc: error: unsupported option '%s': ebpf-cc does not run "
			"a linker, assembler or external preprocessor\n", arg);
		return -1;
	}
	arg += 2;
	if (!strcmp(arg, "error") || !strcmp(arg, "no-error")) {
		w->errors = arg[0] == 'e';
		return 0;
	}
	s.negated = !strncmp(arg, "no-", 3);
	if (s.negated)
		arg += 3;
	s.error = !strncmp(arg, "error=", 6);
	if (s.error)
		arg += 6;
	s.name = arg;
	if (!*arg)
		return 0;
	if (w->count == sizeof(w->settings) / sizeof(w->settings[0])) {
		fprintf(stderr, "ebpf-cc: error: too many -W options\n");
		return -1;
	}
	w->settings[w->count++] = s;
	return 0;
}

/* The last -W<flag> / -Wno-<flag> (error == false) or -Werror=<flag> /
 * -Wno-error=<flag> (error == true) that covers `flag`: 1 on, 0 off, -1 none. */
static int last_setting(const struct driver_warnings *w, const char *flag, bool error)
{
	for (size_t i = w->count; i-- > 0;) {
		const struct driver_warning_setting *s = &w->settings[i];
		if (covers(s->name, flag) && (s->error == error || (!error && !s->negated)))
			return !s->negated;
	}
	return -1;
}

bool driver_warning_shown(const struct driver_warnings *w, const char *flag)
{
	int setting;

	if (w->none)
		return false;
	if (!flag)
		return true;
	setting = last_setting(w, flag, false);
	if (setting >= 0)
		return setting;
	return !off_by_default(w, flag);
}

bool driver_warning_error(const struct driver_warnings *w, const char *flag)
{
	int setting = flag ? last_setting(w, flag, true) : -1;

	return setting >= 0 ? setting : w->errors;
}

/* Whether some -Wno-... turned implicit-int off before a later option turned it on. */
static bool ever_disabled(const struct driver_warnings *w)
{
	for (size_t i = 0; i < w->count; i++)
		if (w->settings[i].negated && !w->settings[i].error &&
		    covers(w->settings[i].name, "implicit-int"))
			return true;
	return false;
}

/* clang-19: implicit int is an error in C99 and later unless -Wno-implicit-int (silent)
 * or -Wno-error=implicit-int (a warning); switched off and on again (-Wno-implicit-int
 * -Wall) it is a plain warning, which -Werror makes an error. In C89 it is valid (a
 * warning of -Wall). */
int driver_implicit_int(const struct driver_warnings *w)
{
	int shown = last_setting(w, "implicit-int", false);

	if (w->c89)
		return CC_IMPLICIT_INT_C89;
	if (shown == 0 || (w->none && ever_disabled(w)))
		return CC_IMPLICIT_INT_ALLOWED;
	if (last_setting(w, "implicit-int", true) == 0)
		return CC_IMPLICIT_INT_WARNING;
	if (shown == 1 && ever_disabled(w) && !driver_warning_error(w, "implicit-int"))
		return CC_IMPLICIT_INT_WARNING;
	return CC_IMPLICIT_INT_ERROR;
}
