/* sema_spec.c - declaration specifiers and GNU attributes as the grammar reduces them:
 * basic type keywords counted into one of C's type combinations, storage classes,
 * qualifiers, and the attributes code generation and BTF care about. */
#include <config.h>

#include <string.h>

#include "sema_int.h"

enum {
	K_VOID = 1 << 0, K_BOOL = 1 << 2, K_CHAR = 1 << 4, K_SHORT = 1 << 6, K_INT = 1 << 8,
	K_LONG = 1 << 10, K_OTHER = 1 << 12, K_SIGNED = 1 << 13, K_UNSIGNED = 1 << 14,
	K_INT128 = 1 << 15,
};

struct decl_spec *sema_spec_new(struct cc_unit *u, struct cc_loc loc)
{
	struct decl_spec *s = sema_reuse(u, FREE_SPEC, sizeof(*s));

	s->loc = loc;
	return s;
}

static const int basic_counts[] = {
	[WORD_VOID] = K_VOID, [WORD_BOOL] = K_BOOL, [WORD_CHAR] = K_CHAR,
	[WORD_SHORT] = K_SHORT, [WORD_INT] = K_INT, [WORD_LONG] = K_LONG,
	[WORD_INT128] = K_INT128,
};

/* One keyword of the specifiers: storage class, qualifier or basic type word. */
void sema_spec_keyword(struct cc_unit *u, struct decl_spec *s, struct cc_token *t)
{
	switch ((enum cc_spec_word)t->word) {
	case WORD_TYPEDEF: s->storage = SC_TYPEDEF; break;
	case WORD_STATIC: s->storage = SC_STATIC; break;
	case WORD_EXTERN: s->storage = SC_EXTERN; break;
	case WORD_CONST: s->is_const = true; break;
	case WORD_VOLATILE: s->is_volatile = true; break;
	case WORD_INLINE: s->is_inline = true; break;
	case WORD_SIGNED: s->counter |= K_SIGNED; break;
	case WORD_UNSIGNED: s->counter |= K_UNSIGNED; break;
	case WORD_VOID: case WORD_BOOL: case WORD_CHAR: case WORD_SHORT: case WORD_INT:
	case WORD_LONG: case WORD_INT128:
		s->counter += basic_counts[t->word];
		break;
	case WORD_FLOAT: case WORD_DOUBLE: { /* rejected when used: BPF has no FP */
		bool is_float = t->word == WORD_FLOAT;

		s->counter += K_OTHER;
		s->type = cc_type_new(u, is_float ? TY_FLOAT : TY_DOUBLE, is_float ? 4 : 8,
				      is_float ? 4 : 8);
		s->type->defined = true;
		break;
	}
	default: /* register, auto, restrict, _Atomic, _Noreturn: nothing for BPF */
		break;
	}
}

/* A typedef name, record, enum, typeof or __builtin_va_list; NULL for __auto_type
 * (long until the initializer gives the type). */
void sema_spec_type(struct cc_unit *u, struct decl_spec *s, struct cc_type *type)
{
	(void)u;
	s->type = type ? type : &cc_type_long;
	s->is_auto_type = !type;
}

void sema_attrs_merge(struct cc_unit *u, struct cc_attrs *into, const struct cc_attrs *from)
{
	if (!from)
		return;
	if (from->section)
		into->section = from->section;
	if (from->aligned)
		into->aligned = from->aligned;
	into->packed |= from->packed;
	into->always_inline |= from->always_inline;
	into->noinline |= from->noinline;
	into->weak |= from->weak;
	into->unused |= from->unused;
	into->preserve_access_index |= from->preserve_access_index;
	into->used |= from->used;
	into->hidden |= from->hidden;
	into->decl_tags = sema_tags_join(u, into->decl_tags, from->decl_tags);
	into->type_tags = sema_tags_join(u, into->type_tags, from->type_tags);
}

/* sema_tags_join when both lists exist and differ. */
const struct cc_decl_tags *sema_tags_join_new(struct cc_unit *u, const struct cc_decl_tags *a,
					      const struct cc_decl_tags *b)
{
	struct cc_decl_tags *tags = cc_alloc(u->arena, sizeof(*tags));

	if (!tags)
		return a;
	*tags = *a;
	for (unsigned i = 0; i < b->count; i++) {
		unsigned j = 0;

		while (j < tags->count && strcmp(tags->value[j], b->value[i]))
			j++;
		if (j == tags->count && tags->count < CC_MAX_DECL_TAGS)
			tags->value[tags->count++] = b->value[i];
	}
	return tags->count == a->count ? a : tags;
}

void sema_spec_attrs(struct cc_unit *u, struct decl_spec *s, const struct cc_attrs *attrs)
{
	sema_attrs_merge(u, &s->attrs, attrs);
}

static struct cc_type *basic_type(struct cc_unit *u, int counter, struct cc_loc loc)
{
	switch (counter) {
	case K_VOID: return &cc_type_void;
	case K_BOOL: return &cc_type_bool;
	case K_CHAR: return &cc_type_char;
	case K_SIGNED + K_CHAR: return &cc_type_schar;
	case K_UNSIGNED + K_CHAR: return &cc_type_uchar;
	case K_SHORT: case K_SHORT + K_INT: case K_SIGNED + K_SHORT:
	case K_SIGNED + K_SHORT + K_INT: return &cc_type_short;
	case K_UNSIGNED + K_SHORT: case K_UNSIGNED + K_SHORT + K_INT: return &cc_type_ushort;
	case K_INT: case K_SIGNED: case K_SIGNED + K_INT: return &cc_type_int;
	case K_UNSIGNED: case K_UNSIGNED + K_INT: return &cc_type_uint;
	case K_LONG: case K_LONG + K_INT: case K_SIGNED + K_LONG:
	case K_SIGNED + K_LONG + K_INT: return &cc_type_long;
	case K_UNSIGNED + K_LONG: case K_UNSIGNED + K_LONG + K_INT: return &cc_type_ulong;
	case K_LONG + K_LONG: case K_LONG + K_LONG + K_INT: case K_SIGNED + K_LONG + K_LONG:
	case K_SIGNED + K_LONG + K_LONG + K_INT: return &cc_type_llong;
	case K_UNSIGNED + K_LONG + K_LONG: case K_UNSIGNED + K_LONG + K_LONG + K_INT:
		return &cc_type_ullong;
	case K_INT128: case K_SIGNED + K_INT128: case K_UNSIGNED + K_INT128: {
		struct cc_type *t = cc_type_new(u, TY_INT128, 16, 16);

		t->is_unsigned = counter & K_UNSIGNED;
		t->defined = true;
		return t;
	}
	default:
		cc_error(u, loc, "invalid combination of type specifiers");
		return &cc_type_int;
	}
}

/* `type` with BTF type tags, the last written outermost (as clang nests them, above
 * const and volatile: a PTR points at the tags). Not inlined: sema_spec_finish, which
 * runs per declaration, stays lean (0.1% of a vmlinux.h compile). */
__attribute__((noinline))
struct cc_type *sema_type_tags(struct cc_unit *u, struct cc_type *type,
			       const struct cc_decl_tags *tags)
{
	for (unsigned i = 0; tags && i < tags->count && type; i++)
		type = cc_type_derive(u, type, STEP_TYPE_TAG, tags->value[i]);
	return type;
}

/* The declared base type: the basic type the keywords add up to (or the named type),
 * then const and volatile, then btf_type_tags. */
struct cc_type *sema_spec_finish(struct cc_unit *u, struct decl_spec *s)
{
	struct cc_type *type = s->type;

	if (s->result)
		return s->result;
	if (s->counter && type && !(s->counter & K_OTHER))
		cc_error(u, s->loc, "cannot combine with previous type specifier");
	if (s->counter && !(s->counter & K_OTHER))
		type = basic_type(u, s->counter, s->loc);
	if (!type)
		type = &cc_type_int;
	if (s->is_const)
		type = cc_type_derive(u, type, STEP_CONST, NULL);
	if (s->is_volatile)
		type = cc_type_derive(u, type, STEP_VOLATILE, NULL);
	if (s->attrs.type_tags)
		type = sema_type_tags(u, type, s->attrs.type_tags);
	s->result = type;
	return type;
}

/* Specifiers without a type specifier (`static x;`) declare an int, which C99 and
 * later forbid: an error at each declarator's name (else at `after`, the token after
 * an unnamed one), worded as clang-19 words it in its default C mode; the options
 * (opts->implicit_int) make it a warning or nothing as clang's do. */
void sema_report_implicit_int(struct cc_unit *u, const struct declarator *d,
			      struct cc_loc after)
{
	struct cc_loc loc = d && d->name ? d->name->loc : after;
	int mode = u->opts ? u->opts->implicit_int : CC_IMPLICIT_INT_ERROR;

	if (mode == CC_IMPLICIT_INT_C89)
		cc_warning(u, loc, "type specifier missing, defaults to 'int' [-Wimplicit-int]");
	else if (mode == CC_IMPLICIT_INT_WARNING)
		cc_warning(u, loc, "type specifier missing, defaults to 'int'; ISO C99 and later "
			   "do not support implicit int [-Wimplicit-int]");
	else if (mode != CC_IMPLICIT_INT_ALLOWED)
		cc_error(u, loc, "type specifier missing, defaults to 'int'; ISO C99 and later "
			 "do not support implicit int [-Wimplicit-int]");
}

/* __packed__ and packed name the same attribute. */
static const char *plain_name(const char *n, char *buf, size_t size)
{
	size_t len = strlen(n);

	if (len > 4 && len < size && !strncmp(n, "__", 2) && !strcmp(n + len - 2, "__")) {
		memcpy(buf, n + 2, len - 4);
		buf[len - 4] = '\0';
		return buf;
	}
	return n;
}

/* Attributes clang accepts that change nothing in BPF code (optimisation hints,
 * diagnostics, ABI details of other targets): accepted and ignored, as clang does.
 * GCC's access, copy, designated_init, externally_visible, no_reorder, noclone, noipa,
 * nonstring and optimize (and bpf_fastcall, newer than clang-19) are not here: clang-19
 * warns that they are unknown, and so does ebpf-cc. */
static const char *const ignored_attributes[] = {
	"alloc_align", "alloc_size", "annotate", "artificial", "assume_aligned", "availability",
	"cold", "const", "counted_by", "deprecated", "disable_tail_calls", "error",
	"fallthrough", "flatten", "format", "format_arg", "gnu_inline", "hot", "leaf",
	"malloc", "may_alias", "no_builtin", "no_instrument_function", "no_randomize_layout",
	"no_sanitize", "no_sanitize_address", "no_sanitize_undefined", "no_split_stack",
	"no_stack_protector", "nocommon", "common", "nomerge", "nonnull", "noreturn",
	"nothrow", "preserve_static_offset", "pure", "randomize_layout", "returns_nonnull",
	"sentinel", "swift_name", "target", "unavailable", "uninitialized",
	"warn_unused_result", "warning", "retain", "nodebug", "minsize", "noinit",
};

/* Attributes that would change what the program means and that ebpf-cc does not
 * implement: reported by name rather than silently ignored. */
static const char *const unsupported_attributes[] = {
	"address_space", "alias", "cleanup", "constructor", "destructor", "ext_vector_type",
	"ifunc", "mode", "naked", "tls_model", "transparent_union", "vector_size", "weakref",
	"scalar_storage_order", "overloadable",
};

static bool listed(const char *name, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

#define LISTED(name, list) listed(name, list, sizeof(list) / sizeof(list[0]))

/* An attribute without meaning here: ignored if clang ignores it for BPF too,
 * otherwise an error (unsupported) or clang's warning (unknown). */
static void other_attribute(struct cc_unit *u, const char *n, struct cc_token *name)
{
	if (LISTED(n, ignored_attributes))
		return;
	if (LISTED(n, unsupported_attributes))
		cc_error(u, name->loc, "'%s' attribute is not supported by ebpf-cc", n);
	else
		cc_warning(u, name->loc, "unknown attribute '%s' ignored [-Wunknown-attributes]",
			   name->text);
}

/* The string argument of an attribute, `("s")` (adjacent literals joined), or NULL;
 * `open` is the '(' token, the following ones are in the same token array. */
static const char *string_argument(struct cc_unit *u, struct cc_token *open)
{
	size_t len = 0, n = 1;
	char *text;

	while (open[n].kind == TK_STRING)
		len += open[n++].string_len;
	if (n == 1 || open[n].kind != TK_PUNCT || strcmp(open[n].text, ")"))
		return NULL;
	text = cc_alloc(u->arena, len + 1);
	if (!text)
		return NULL;
	len = 0;
	for (size_t i = 1; i < n; i++) {
		memcpy(text + len, open[i].string, open[i].string_len);
		len += open[i].string_len;
	}
	return cc_intern(u, text);
}

/* An attribute with arguments other than section and aligned; `open` is their '('. */
void sema_attr_apply_args(struct cc_unit *u, struct cc_attrs *a, struct cc_token *name,
			  struct cc_token *open)
{
	char buf[64];
	const char *n = plain_name(name->text, buf, sizeof(buf));
	const char *arg;

	if (strcmp(n, "btf_decl_tag") && strcmp(n, "btf_type_tag") && strcmp(n, "visibility")) {
		sema_attr_apply(u, a, name, NULL, NULL);
		return;
	}
	arg = string_argument(u, open);
	if (!arg) {
		cc_error(u, name->loc, "'%s' attribute requires a string", n);
	} else if (!strcmp(n, "visibility")) {
		if (!strcmp(arg, "hidden"))
			a->hidden = true;
		else if (strcmp(arg, "default"))
			cc_error(u, name->loc, "visibility \"%s\" is not supported by ebpf-cc", arg);
	} else {
		bool type_tag = strcmp(n, "btf_decl_tag") != 0;
		const struct cc_decl_tags **to = type_tag ? &a->type_tags : &a->decl_tags;
		struct cc_decl_tags one = { .value = { arg }, .count = 1 };

		if (*to && (*to)->count == CC_MAX_DECL_TAGS)
			cc_error(u, name->loc, "more than %d '%s' attributes in one place",
				 CC_MAX_DECL_TAGS, n);
		else if (*to)
			*to = sema_tags_join(u, *to, &one); /* a new list: never `one` itself */
		else if ((*to = cc_alloc(u->arena, sizeof(one))))
			*(struct cc_decl_tags *)*to = one;
	}
}

/* One attribute: `name`, `section("s")` (section set) or `aligned(N)` (value set);
 * attributes without meaning for BPF code are accepted and ignored as clang does. */
void sema_attr_apply(struct cc_unit *u, struct cc_attrs *a, struct cc_token *name,
		     struct cc_token *section, struct cc_node *value)
{
	char buf[64];
	const char *n = plain_name(name->text, buf, sizeof(buf));

	if (!strcmp(n, "section")) {
		if (section)
			a->section = cc_intern(u, section->string);
		else
			cc_error(u, name->loc, "section attribute needs a string");
	} else if (!strcmp(n, "aligned")) {
		a->aligned = value ? (int)sema_const_value(u, value) : 8;
	} else if (!strcmp(n, "packed")) {
		a->packed = true;
	} else if (!strcmp(n, "always_inline")) {
		a->always_inline = true;
	} else if (!strcmp(n, "noinline")) {
		a->noinline = true;
	} else if (!strcmp(n, "weak")) {
		a->weak = true;
	} else if (!strcmp(n, "unused")) {
		a->unused = true;
	} else if (!strcmp(n, "used")) {
		a->used = true;
	} else if (!strcmp(n, "preserve_access_index")) {
		a->preserve_access_index = true;
	} else if (!strcmp(n, "btf_decl_tag") || !strcmp(n, "btf_type_tag") ||
		   !strcmp(n, "visibility")) {
		cc_error(u, name->loc, "'%s' attribute requires a string", n);
	} else {
		other_attribute(u, n, name);
	}
}
