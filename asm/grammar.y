/* grammar.y - pure bison parser for both assembly dialects. The lexer sends START_LLVM
 * or START_MNEM first; each dialect has its own statement rules, and both share the
 * label, directive and constant-expression rules. Actions hand statements to the
 * instruction builder (insn.c, llvm.c, mnemonic.c) and the directives (directives.c). */
%define api.pure full
%define api.prefix {asm_yy}
%define parse.error custom
%locations
%param {void *scanner}
%parse-param {struct asm_context *ctx}

%code requires {
#include "asm_int.h"
struct asm_string { const char *bytes; size_t length; };
/* A nonterminal is located at its first symbol. Copying whole structs (instead of
 * bison's field-by-field default) keeps the parser free of store-forwarding stalls. */
#define YYLLOC_DEFAULT(Current, Rhs, N) ((Current) = (Rhs)[(N) ? 1 : 0])
}

%code {
#include <string.h>
#include "llvm.h"

int asm_yylex(ASM_YYSTYPE *value, ASM_YYLTYPE *loc, void *scanner);
static void asm_yyerror(ASM_YYLTYPE *loc, void *scanner, struct asm_context *ctx,
			const char *message);
static struct asm_mem *asm_mem_new(struct asm_context *ctx, struct asm_reg *base,
				  struct asm_expr *offset, struct asm_loc loc)
{
	struct asm_mem *mem = asm_alloc(ctx, sizeof(*mem));

	mem->base = *base;
	mem->offset = offset;
	mem->loc = loc;
	return mem;
}

static struct asm_loc at(ASM_YYLTYPE l)
{
	struct asm_loc loc = { (unsigned)l.first_line, (unsigned)l.first_column };
	return loc;
}
/* REG values are packed registers (asm_reg_pack); R() is the struct, RP() a pointer. */
#define R(packed) asm_reg_unpack(packed)
#define RP(packed) ((struct asm_reg[1]){ asm_reg_unpack(packed) })
#define CHECK_ABORT() do { if (ctx->aborted) YYABORT; } while (0)
}

/* Every member is one machine word: bison copies values on each shift and reduce. */
%union {
	uint64_t number;
	const char *text;
	struct asm_string *string;
	struct asm_expr *expr;
	struct asm_mem *mem;
	struct asm_operand *operand;
	struct asm_arg *arg;
}

%token START_LLVM START_MNEM
%token NEWLINE "end of line"
%token ERROR_TOKEN "invalid character"
%token <number> NUMBER "number"
%token <text> IDENT "name"
%token <string> STRING "string"
%token <number> REG "register"
%token <text> DIRECTIVE "directive"
%token <text> RAWTEXT "directive text"
%token <text> ASSIGNOP "assignment operator"
%token <text> CMPOP "comparison"
%token <number> SIZE "size"
%token <text> SWAP "byte swap"
%token <text> AFETCH "atomic_fetch_*"
%token <text> XCHG "xchg"
%token <text> CMPXCHG "cmpxchg"
%token KW_IF "'if'" KW_GOTO "'goto'" KW_GOTOL "'gotol'" KW_CALL "'call'"
%token KW_CALLX "'callx'" KW_EXIT "'exit'" KW_LOCK "'lock'" KW_LL "'ll'" KW_SKB "'skb'"
%token SHL "'<<'" SHR "'>>'"

%left '|'
%left '^'
%left '&'
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%type <expr> expr sym_expr
%type <mem> mem_inner mem_paren mem_bracket
%type <operand> operands operand jux_operand
%type <arg> dir_args dir_arg
%type <expr> kv_values

%%

file:
	  START_LLVM llvm_lines
	| START_MNEM mnem_lines
	;

/* ---------------------------------------------------------------- LLVM dialect */
llvm_lines:
	  %empty
	| llvm_lines llvm_line
	;

llvm_line:
	  labels llvm_stmt NEWLINE { CHECK_ABORT(); }
	| labels NEWLINE
	| error NEWLINE            { yyerrok; CHECK_ABORT(); }
	;

labels:
	  %empty
	| labels IDENT ':'         { asm_define_label(ctx, $2, at(@2)); }
	| labels NUMBER ':'        { asm_define_local_label(ctx, $2, at(@2)); }
	| labels STRING ':'        { asm_define_label(ctx, $2->bytes, at(@2)); }
	;

llvm_stmt:
	  directive
	| IDENT any_tokens         { asm_unknown_instruction(ctx, $1, at(@1)); }
	/* dst = src | dst = imm | dst = imm64 ll */
	| REG '=' REG              { asm_llvm_alu(ctx, at(@1), "mov", R($1), RP($3), NULL); }
	| REG '=' expr             { asm_llvm_alu(ctx, at(@1), "mov", R($1), NULL, $3); }
	| REG '=' sym_expr KW_LL   { asm_llvm_lddw(ctx, at(@1), R($1), $3); }
	/* dst op= src | dst op= imm */
	| REG ASSIGNOP REG         { asm_llvm_alu(ctx, at(@1), $2, R($1), RP($3), NULL); }
	| REG ASSIGNOP expr        { asm_llvm_alu(ctx, at(@1), $2, R($1), NULL, $3); }
	/* dst = -dst | dst = be16 dst | dst = (s8)src */
	| REG '=' '-' REG          { asm_llvm_unary(ctx, at(@1), "neg", R($1), R($4)); }
	| REG '=' SWAP REG         { asm_llvm_unary(ctx, at(@1), $3, R($1), R($4)); }
	| REG '=' '(' SIZE ')' REG { asm_llvm_movsx(ctx, at(@1), R($1), (int)(int64_t)$4, R($6), at(@4)); }
	/* dst = *(size *)(src + off) */
	| REG '=' '*' '(' SIZE '*' ')' mem_paren
	                           { asm_llvm_load(ctx, at(@1), R($1), (int)(int64_t)$5, $8, at(@5)); }
	/* r0 = *(size *)skb[imm] | r0 = *(size *)skb[src] */
	| REG '=' '*' '(' SIZE '*' ')' KW_SKB '[' expr ']'
	                           { asm_llvm_packet(ctx, at(@1), R($1), (int)(int64_t)$5, NULL, $10, at(@5)); }
	| REG '=' '*' '(' SIZE '*' ')' KW_SKB '[' REG ']'
	                           { asm_llvm_packet(ctx, at(@1), R($1), (int)(int64_t)$5, RP($10), NULL, at(@5)); }
	| REG '=' '*' '(' SIZE '*' ')' KW_SKB '[' REG '+' expr ']'
	                           { asm_llvm_packet(ctx, at(@1), R($1), (int)(int64_t)$5, RP($10), $12, at(@5)); }
	/* *(size *)(dst + off) = src | imm */
	| '*' '(' SIZE '*' ')' mem_paren '=' REG
	                           { asm_llvm_store(ctx, at(@1), (int)(int64_t)$3, $6, RP($8), NULL, at(@3)); }
	| '*' '(' SIZE '*' ')' mem_paren '=' expr
	                           { asm_llvm_store(ctx, at(@1), (int)(int64_t)$3, $6, NULL, $8, at(@3)); }
	/* lock *(size *)(dst + off) op= src */
	| KW_LOCK '*' '(' SIZE '*' ')' mem_paren ASSIGNOP REG
	                           { asm_llvm_atomic(ctx, at(@1), $8, false, (int)(int64_t)$4, $7, R($9), NULL, at(@4)); }
	/* dst = atomic_fetch_op((size *)(ptr + off), src) */
	| REG '=' AFETCH '(' '(' SIZE '*' ')' mem_paren ',' REG ')'
	                           { asm_llvm_atomic(ctx, at(@1), $3, true, (int)(int64_t)$6, $9, R($11), RP($1), at(@6)); }
	/* dst = xchg_64(ptr + off, src) | r0 = cmpxchg_64(ptr + off, r0, src) */
	| REG '=' XCHG '(' mem_inner ',' REG ')'
	                           { asm_llvm_xchg(ctx, at(@1), $3, R($1), $5, NULL, R($7)); }
	| REG '=' CMPXCHG '(' mem_inner ',' REG ',' REG ')'
	                           { asm_llvm_xchg(ctx, at(@1), $3, R($1), $5, RP($7), R($9)); }
	/* if dst op src|imm goto target */
	| KW_IF REG CMPOP REG KW_GOTO sym_expr
	                           { asm_llvm_jump(ctx, at(@1), $3, R($2), RP($4), NULL, $6, at(@6)); }
	| KW_IF REG CMPOP expr KW_GOTO sym_expr
	                           { asm_llvm_jump(ctx, at(@1), $3, R($2), NULL, $4, $6, at(@6)); }
	| KW_IF REG '&' REG KW_GOTO sym_expr
	                           { asm_llvm_jump(ctx, at(@1), "jset", R($2), RP($4), NULL, $6, at(@6)); }
	| KW_IF REG '&' expr KW_GOTO sym_expr
	                           { asm_llvm_jump(ctx, at(@1), "jset", R($2), NULL, $4, $6, at(@6)); }
	| KW_GOTO sym_expr         { asm_llvm_goto(ctx, at(@1), false, $2, at(@2)); }
	| KW_GOTOL sym_expr        { asm_llvm_goto(ctx, at(@1), true, $2, at(@2)); }
	| KW_CALL sym_expr         { asm_llvm_call(ctx, at(@1), $2, at(@2)); }
	| KW_CALLX REG             { asm_llvm_callx(ctx, at(@1), R($2)); }
	| KW_EXIT                  { asm_llvm_exit(ctx, at(@1)); }
	;

mem_paren:
	  '(' mem_inner ')'        { $$ = $2; }
	;

/* Where a symbol is expected its name may be quoted ("lock"), as llvm-mc allows for
 * names that are words of the language. */
sym_expr:
	  expr                     { $$ = $1; }
	| STRING                   { $$ = asm_expr_symbol(ctx, $1->bytes, at(@1)); }
	| STRING '+' expr          { $$ = asm_expr_binary(ctx, '+', asm_expr_symbol(ctx, $1->bytes, at(@1)),
							  $3, at(@1)); }
	;

/* The rest of a line after an unknown word: skipped, so it yields one error. */
any_tokens:
	  %empty
	| any_tokens any_token
	;

any_token:
	  NUMBER | IDENT | STRING | REG | DIRECTIVE | ASSIGNOP | CMPOP | SIZE | SWAP | AFETCH
	| XCHG | CMPXCHG | KW_IF | KW_GOTO | KW_GOTOL | KW_CALL | KW_CALLX | KW_EXIT | KW_LOCK
	| KW_LL | KW_SKB | SHL | SHR | ERROR_TOKEN | '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^'
	| '~' | '(' | ')' | '[' | ']' | ',' | '=' | '@' | '.'
	;

mem_inner:
	  REG                      { $$ = asm_mem_new(ctx, RP($1), NULL, at(@1)); }
	| REG '+' expr             { $$ = asm_mem_new(ctx, RP($1), $3, at(@1)); }
	| REG '-' expr             { $$ = asm_mem_new(ctx, RP($1), asm_expr_unary(ctx, ASM_EXPR_NEG, $3,
									      at(@2)), at(@1)); }
	;

/* ------------------------------------------------------------ mnemonic dialect */
mnem_lines:
	  %empty
	| mnem_lines mnem_line
	;

mnem_line:
	  labels mnem_stmt NEWLINE { CHECK_ABORT(); }
	| labels NEWLINE
	| error NEWLINE            { yyerrok; CHECK_ABORT(); }
	;

mnem_stmt:
	  directive
	| IDENT                    { asm_mnemonic_statement(ctx, $1, at(@1), NULL); }
	| IDENT operands           { asm_mnemonic_statement(ctx, $1, at(@1), $2); }
	;

/* Operands: separated by commas, or by blanks when the next one cannot continue an
 * expression (a register, a memory operand or a name). Built in reverse, then
 * mnemonic.c restores the order. */
operands:
	  operand                  { $$ = $1; }
	| operands ',' operand     { $3->next = $1; $$ = $3; }
	| operands jux_operand     { $2->next = $1; $$ = $2; }
	| operands NUMBER          { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_OPERAND_EXPR; $$->loc = at(@2); $$->next = $1;
					       $$->expr = asm_expr_number(ctx, $2, at(@2)); } }
	| operands IDENT           { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_OPERAND_EXPR; $$->loc = at(@2); $$->next = $1;
					       $$->expr = asm_expr_symbol(ctx, $2, at(@2)); } }
	;

operand:
	  jux_operand              { $$ = $1; }
	| expr                     { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_OPERAND_EXPR; $$->expr = $1; $$->loc = at(@1); } }
	;

jux_operand:
	  REG                      { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_OPERAND_REG; $$->reg = R($1); $$->loc = at(@1); } }
	| mem_bracket              { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_OPERAND_MEM; $$->mem = *$1; $$->loc = at(@1); } }
	;

mem_bracket:
	  '[' mem_inner ']'        { $$ = $2; $$->loc = at(@1); }
	;

/* ------------------------------------------------------------------- shared */
directive:
	  DIRECTIVE                { asm_directive(ctx, $1, at(@1), NULL); }
	| DIRECTIVE dir_args       { asm_directive(ctx, $1, at(@1), $2); }
	| DIRECTIVE RAWTEXT        { asm_directive_text(ctx, $1, at(@1), $2, at(@2)); }
	;

/* Directive arguments, built in reverse order (directives.c reverses them). */
dir_args:
	  dir_arg                  { $$ = $1; }
	| dir_args ',' dir_arg     { $3->next = $1; $$ = $3; }
	;

dir_arg:
	  expr                     { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_ARG_EXPR; $$->expr = $1; $$->loc = at(@1); } }
	| STRING                   { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_ARG_STRING; $$->text = $1->bytes;
					       $$->length = $1->length; $$->loc = at(@1); } }
	| '@' IDENT                { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_ARG_TYPE; $$->text = $2; $$->loc = at(@1); } }
	| '%' IDENT                { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_ARG_TYPE; $$->text = $2; $$->loc = at(@1); } }
	| IDENT '=' kv_values      { $$ = asm_alloc(ctx, sizeof(*$$));
				     if ($$) { $$->kind = ASM_ARG_KEY; $$->text = $1; $$->expr = $3;
					       $$->loc = at(@1); } }
	;

/* key=value, or key=NAME NAME ... for lists; linked through ->right in reverse. */
kv_values:
	  expr                     { $$ = $1; }
	| kv_values IDENT          { $$ = asm_expr_symbol(ctx, $2, at(@2));
				     if ($$) $$->right = $1; }
	| kv_values NUMBER         { $$ = asm_expr_number(ctx, $2, at(@2));
				     if ($$) $$->right = $1; }
	;

expr:
	  NUMBER                   { $$ = asm_expr_number(ctx, $1, at(@1)); }
	| IDENT                    { $$ = asm_expr_symbol(ctx, $1, at(@1)); }
	| '.'                      { $$ = asm_expr_dot(ctx, at(@1)); }
	| '(' expr ')'             { $$ = $2; }
	| '-' expr %prec UNARY     { $$ = asm_expr_unary(ctx, ASM_EXPR_NEG, $2, at(@1));
				     if ($$) $$->explicit_sign = true; }
	| '+' expr %prec UNARY     { $$ = $2; if ($$ && $$->kind == ASM_EXPR_NUMBER) $$->explicit_sign = true; }
	| '~' expr %prec UNARY     { $$ = asm_expr_unary(ctx, ASM_EXPR_NOT, $2, at(@1)); }
	| expr '+' expr            { $$ = asm_expr_binary(ctx, '+', $1, $3, at(@2)); }
	| expr '-' expr            { $$ = asm_expr_binary(ctx, '-', $1, $3, at(@2)); }
	| expr '*' expr            { $$ = asm_expr_binary(ctx, '*', $1, $3, at(@2)); }
	| expr '/' expr            { $$ = asm_expr_binary(ctx, '/', $1, $3, at(@2)); }
	| expr '%' expr            { $$ = asm_expr_binary(ctx, '%', $1, $3, at(@2)); }
	| expr SHL expr            { $$ = asm_expr_binary(ctx, '<', $1, $3, at(@2)); }
	| expr SHR expr            { $$ = asm_expr_binary(ctx, '>', $1, $3, at(@2)); }
	| expr '&' expr            { $$ = asm_expr_binary(ctx, '&', $1, $3, at(@2)); }
	| expr '|' expr            { $$ = asm_expr_binary(ctx, '|', $1, $3, at(@2)); }
	| expr '^' expr            { $$ = asm_expr_binary(ctx, '^', $1, $3, at(@2)); }
	;

%%

static void asm_yyerror(ASM_YYLTYPE *loc, void *scanner, struct asm_context *ctx,
			const char *message)
{
	(void)scanner;
	asm_error(ctx, at(*loc), "%s", message);
}

/* Text of the offending token, taken from the source line. */
static void token_text(struct asm_context *ctx, const ASM_YYLTYPE *loc, char *buf, size_t len)
{
	size_t line_start, start, end;

	buf[0] = '\0';
	if (!asm_line_start(ctx, (unsigned)loc->first_line, &line_start))
		return;
	start = line_start + (size_t)loc->first_column - 1;
	end = loc->last_line == loc->first_line ? line_start + (size_t)loc->last_column - 1 : start;
	if (end > ctx->text_size)
		end = ctx->text_size;
	if (start >= end || ctx->text[start] == '\n') {
		snprintf(buf, len, "end of line");
		return;
	}
	/* Bytes that are not printable ASCII are shown as \xNN. */
	size_t used = 0;

	buf[used++] = '\'';
	for (size_t i = start; i < end && used + 6 < len; i++) {
		unsigned char c = (unsigned char)ctx->text[i];

		if (c >= 0x20 && c < 0x7f)
			buf[used++] = (char)c;
		else
			used += (size_t)snprintf(buf + used, len - used, "\\x%02x", c);
	}
	buf[used++] = '\'';
	buf[used] = '\0';
}

static int yyreport_syntax_error(const yypcontext_t *pctx, void *scanner,
				 struct asm_context *ctx)
{
	enum { MAX_EXPECTED = 4 };
	yysymbol_kind_t expected[MAX_EXPECTED];
	int count = yypcontext_expected_tokens(pctx, expected, MAX_EXPECTED);
	const ASM_YYLTYPE *loc = yypcontext_location(pctx);
	char found[96], message[200];
	size_t used = 0;

	token_text(ctx, loc, found, sizeof(found));
	if (yypcontext_token(pctx) == YYSYMBOL_YYEOF)
		snprintf(found, sizeof(found), "end of file");
	used += (size_t)snprintf(message, sizeof(message), "unexpected %s", found);
	if (count > 0 && count <= MAX_EXPECTED) {
		for (int i = 0; i < count && used < sizeof(message); i++)
			used += (size_t)snprintf(message + used, sizeof(message) - used, "%s%s",
						 i == 0 ? "; expected " : i + 1 == count ? " or " : ", ",
						 yysymbol_name(expected[i]));
	}
	asm_error(ctx, at(*loc), "%s", message);
	return 0;
}
