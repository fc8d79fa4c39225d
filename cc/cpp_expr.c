/* cpp_expr.c - #if and #elif: the controlling expression macro-expanded (defined()
 * read unexpanded, __has_* evaluated as built-in macros), then evaluated in intmax_t
 * or uintmax_t by C's rules, with short-circuiting that silences division by zero. */
#include <config.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cpp_int.h"

struct value {
	int64_t v;
	bool is_unsigned;
};

struct parser {
	struct cpp *cpp;
	const struct cpp_token *directive;
	struct cpp_token tok;  /* current token */
	int skip;              /* > 0: operands are not evaluated (short circuit) */
	bool failed;
};

static bool at(struct parser *p, const char *op)
{
	return p->tok.kind == CPP_PUNCT && p->tok.length == strlen(op) &&
	       !memcmp(p->tok.text, op, p->tok.length);
}

static void fail(struct parser *p, const char *fmt, const struct cpp_token *t)
{
	if (p->failed)
		return;
	p->failed = true;
	if (t && t->kind != CPP_NEWLINE)
		cpp_error_at(p->cpp, t, fmt, (int)t->length, t->text);
	else
		cpp_error_at(p->cpp, p->directive, "%s", "#if with no expression");
}

/* Can the token appear in a #if expression at all? Strings, assignments, brackets,
 * `##` and the like cannot, wherever they are (gcc says so as it reads them; `#`
 * is left to the parser, gcc reads it as an assertion). */
static bool valid_in_expression(const struct cpp_token *t)
{
	static const char *const operators[] = {
		"+", "-", "*", "/", "%", "<<", ">>", "<", ">", "<=", ">=", "==", "!=", "&", "^",
		"|", "&&", "||", "!", "~", "?", ":", "(", ")", ",", "#",
	};

	if (t->kind != CPP_PUNCT)
		return t->kind != CPP_STRING && t->kind != CPP_OTHER;
	for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
		if (t->length == strlen(operators[i]) && !memcmp(t->text, operators[i], t->length))
			return true;
	return false;
}

static void next(struct parser *p)
{
	do
		cpp_get(p->cpp, &p->tok);
	while (p->tok.kind == CPP_PADDING);
	if (!valid_in_expression(&p->tok))
		fail(p, "token \"%.*s\" is not valid in preprocessor expressions", &p->tok);
}

static struct value parse_number(struct parser *p, const struct cpp_token *t)
{
	struct value r = { 0 };
	const char *s = t->text, *end = t->text + t->length;
	int base = 10;
	uint64_t v = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		base = 2, s += 2;
	else if (s[0] == '0')
		base = 8;
	for (; s < end; s++) {
		int d = *s >= '0' && *s <= '9' ? *s - '0' :
			*s >= 'a' && *s <= 'f' ? *s - 'a' + 10 :
			*s >= 'A' && *s <= 'F' ? *s - 'A' + 10 : 99;

		if (d >= base)
			break;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	for (; s < end; s++) {
		if (*s == 'u' || *s == 'U')
			r.is_unsigned = true;
		else if (*s != 'l' && *s != 'L')
			break;
	}
	if (s != end) {
		fail(p, memchr(t->text, '.', t->length) || base == 10
			? "floating constant in preprocessor expression" : "invalid integer constant \"%.*s\" in #if", t);
		return r;
	}
	if (v > INT64_MAX)
		r.is_unsigned = true;
	r.v = (int64_t)v;
	return r;
}

static struct value parse_char(const struct cpp_token *t)
{
	const char *s = memchr(t->text, '\'', t->length) + 1;
	int64_t v = 0;
	bool wide = t->text[0] != '\'';

	while (*s != '\'') {
		int64_t c = (unsigned char)*s++;

		if (c == '\\') {
			c = (unsigned char)*s++;
			switch (c) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case 'a': c = '\a'; break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'v': c = '\v'; break;
			case 'e': c = 27; break;
			case 'x':
				c = strtoll(s, (char **)&s, 16);
				break;
			default:
				if (c >= '0' && c <= '7') {
					c -= '0';
					for (int i = 0; i < 2 && *s >= '0' && *s <= '7'; i++)
						c = c * 8 + (*s++ - '0');
				}
			}
		}
		v = wide ? c : (int64_t)(((uint64_t)v << 8) | (uint64_t)(c & 0xff));
	}
	if (!wide && t->length == 3 + (t->text[1] == '\\' ? 1 : 0))
		v = (int8_t)v;
	else if (!wide && v < 256)
		v = (int8_t)v;
	return (struct value){ v, false };
}

static struct value parse_cond(struct parser *p);

static struct value parse_defined(struct parser *p)
{
	struct cpp_token name;
	bool paren;

	p->cpp->prevent_expansion++;
	next(p);
	paren = at(p, "(");
	if (paren)
		next(p);
	name = p->tok;
	if (name.kind != CPP_IDENT)
		fail(p, "operator \"defined\" requires an identifier", NULL);
	next(p);
	p->cpp->prevent_expansion--;
	if (paren) {
		if (!at(p, ")"))
			fail(p, "missing ')' after \"defined\"", NULL);
		else
			next(p);
	}
	return (struct value){ name.kind == CPP_IDENT && name.ident->macro != NULL, false };
}

static struct value parse_primary(struct parser *p)
{
	struct value r = { 0 };
	struct cpp_token t = p->tok;

	if (at(p, "(")) {
		next(p);
		r = parse_cond(p);
		if (!at(p, ")"))
			fail(p, "missing ')' in expression", NULL);
		else
			next(p);
		return r;
	}
	if (t.kind == CPP_IDENT && t.ident->defined_op)
		return parse_defined(p);
	if (t.kind == CPP_NUMBER)
		r = parse_number(p, &t);
	else if (t.kind == CPP_CHAR)
		r = parse_char(&t);
	else if (t.kind != CPP_IDENT)
		fail(p, t.kind == CPP_NEWLINE ? "" : "token \"%.*s\" is not valid in preprocessor expressions", &t);
	next(p);
	return r;
}

static struct value parse_unary(struct parser *p)
{
	struct value r;

	if (at(p, "-") || at(p, "+") || at(p, "~") || at(p, "!")) {
		char op = p->tok.text[0];

		next(p);
		r = parse_unary(p);
		if (op == '-')
			r.v = (int64_t)(0 - (uint64_t)r.v);
		else if (op == '~')
			r.v = ~r.v;
		else if (op == '!')
			r = (struct value){ !r.v, false };
		return r;
	}
	return parse_primary(p);
}

/* Binary operators by precedence, lowest first (|| and && handled separately). */
static const char *const levels[][5] = {
	{ "|" }, { "^" }, { "&" }, { "==", "!=" }, { "<", ">", "<=", ">=" },
	{ "<<", ">>" }, { "+", "-" }, { "*", "/", "%" },
};

static struct value apply(struct parser *p, const char *op, struct value a, struct value b,
			  const struct cpp_token *where)
{
	bool u = a.is_unsigned || b.is_unsigned;
	uint64_t x = (uint64_t)a.v, y = (uint64_t)b.v;
	struct value r = { 0, u };

	if (!strcmp(op, "<<") || !strcmp(op, ">>")) {
		bool left = op[0] == '<';
		int64_t n = b.v;

		r.is_unsigned = a.is_unsigned;
		if (!b.is_unsigned && n < 0) {
			left = !left;
			n = n < -64 ? 64 : -n;
		} else if (b.is_unsigned && (uint64_t)n >= 64) {
			n = 64;
		}
		if (n >= 64)
			r.v = left || a.is_unsigned || a.v >= 0 ? 0 : -1;
		else if (left)
			r.v = (int64_t)(x << n);
		else
			r.v = a.is_unsigned ? (int64_t)(x >> n) : a.v >> n;
		return r;
	}
	switch (op[0]) {
	case '|': r.v = (int64_t)(x | y); break;
	case '^': r.v = (int64_t)(x ^ y); break;
	case '&': r.v = (int64_t)(x & y); break;
	case '+': r.v = (int64_t)(x + y); break;
	case '-': r.v = (int64_t)(x - y); break;
	case '*': r.v = (int64_t)(x * y); break;
	case '/': case '%':
		if (!y) {
			if (!p->skip)
				fail(p, "division by zero in #if", NULL), (void)where;
			return r;
		}
		if (u)
			r.v = (int64_t)(op[0] == '/' ? x / y : x % y);
		else if (b.v == -1)
			r.v = op[0] == '/' ? (int64_t)(0 - x) : 0;
		else
			r.v = op[0] == '/' ? a.v / b.v : a.v % b.v;
		break;
	default:
		r.is_unsigned = false;
		if (op[0] == '=' || op[0] == '!')
			r.v = (x == y) == (op[0] == '=');
		else {
			bool less = u ? x < y : a.v < b.v, greater = u ? x > y : a.v > b.v;

			r.v = op[0] == '<' ? (op[1] ? !greater : less) : (op[1] ? !less : greater);
		}
	}
	return r;
}

static struct value parse_binary(struct parser *p, int level)
{
	struct value a;

	if (level == (int)(sizeof(levels) / sizeof(levels[0])))
		return parse_unary(p);
	a = parse_binary(p, level + 1);
	for (;;) {
		const char *op = NULL;

		for (int i = 0; i < 5 && levels[level][i]; i++)
			if (at(p, levels[level][i]))
				op = levels[level][i];
		if (!op || p->failed)
			return a;
		struct cpp_token where = p->tok;

		next(p);
		a = apply(p, op, a, parse_binary(p, level + 1), &where);
	}
}

static struct value parse_and(struct parser *p)
{
	struct value a = parse_binary(p, 0);

	while (at(p, "&&") && !p->failed) {
		bool skip = !a.v;

		next(p);
		p->skip += skip;
		struct value b = parse_binary(p, 0);

		p->skip -= skip;
		a = (struct value){ a.v && b.v, false };
	}
	return a;
}

static struct value parse_or(struct parser *p)
{
	struct value a = parse_and(p);

	while (at(p, "||") && !p->failed) {
		bool skip = a.v != 0;

		next(p);
		p->skip += skip;
		struct value b = parse_and(p);

		p->skip -= skip;
		a = (struct value){ a.v || b.v, false };
	}
	return a;
}

static struct value parse_cond(struct parser *p)
{
	struct value c = parse_or(p), a, b;

	if (!at(p, "?") || p->failed)
		return c;
	next(p);
	p->skip += !c.v;
	a = parse_cond(p);
	p->skip -= !c.v;
	if (!at(p, ":")) {
		fail(p, "expected ':' in expression, found \"%.*s\"", &p->tok);
		return c;
	}
	next(p);
	p->skip += !!c.v;
	b = parse_cond(p);
	p->skip -= !!c.v;
	a = c.v ? a : b;
	a.is_unsigned = a.is_unsigned || b.is_unsigned;
	return a;
}

/* Evaluate the rest of the directive line. Returns 0 (errors reported, value false). */
int cpp_eval_if(struct cpp *cpp, const struct cpp_token *directive, bool *value)
{
	struct parser p = { .cpp = cpp, .directive = directive };
	struct value r;

	next(&p);
	if (p.tok.kind == CPP_NEWLINE) {
		/* at the line's end, as gcc reports it */
		cpp_error_at(cpp, p.tok.line ? &p.tok : directive, "#%.*s with no expression",
			     (int)directive->length, directive->text);
		*value = false;
		return 0;
	}
	r = parse_cond(&p);
	while (at(&p, ",") && !p.failed) {
		next(&p);
		r = parse_cond(&p);
	}
	if (p.tok.kind != CPP_NEWLINE && !p.failed)
		fail(&p, "missing binary operator before token \"%.*s\"", &p.tok);
	while (p.tok.kind != CPP_NEWLINE && p.tok.kind != CPP_EOF)
		next(&p);
	*value = !p.failed && r.v != 0;
	return 0;
}
