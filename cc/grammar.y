/* grammar.y - the C grammar of ebpf-cc (C11 with the GNU extensions libbpf headers and
 * vmlinux.h use), as one pure bison parser over the lexer's token array. Actions build
 * the typed AST through the semantic files (sema_*.c); parse.c feeds the tokens and
 * classifies identifiers as typedef names from the current scope (the classic lexer
 * feedback). */
%define api.pure full
%define api.prefix {cc_parser_}
%define api.location.type {struct cc_token *}
%define parse.error custom
%locations
%param {struct parser *p}

%code requires {
#include "sema_int.h"

/* The parser's state around libcc's unit (the token cursor is unit->pos). */
struct parser {
	struct cc_unit *unit;
	struct cc_token *last;      /* the token yylex returned last */
	int nesting;                /* open ( [ { */
	int attribute_depth;        /* 1 + parentheses open since __attribute__, 0 outside */
	bool attribute_args;        /* the next yylex call skips an attribute's arguments */
	unsigned max_errors;        /* stop reading after this many errors */
	const char *extension;      /* interned "__extension__", skipped */
	int declaring;              /* inside a declaration: 1, a member declaration: 2 */
	uint16_t *symbols;          /* keyword/punctuator symbol by interned spelling */
	uint8_t *words;             /* and its enum cc_spec_word */
	const char **spellings;     /* the spellings of those slots (parse.c hashes them) */
};
}

%code provides {
int cc_parser_lex(CC_PARSER_STYPE *value, struct cc_token **loc, struct parser *p);
int cc_parser_parse(struct parser *p);
}

%code {
#include <stdio.h>
#include <string.h>

#define YYMAXDEPTH 3000
/* A symbol's location is its first token (its predecessor's when it is empty). */
#define YYLLOC_DEFAULT(current, rhs, n) ((current) = (n) ? YYRHSLOC(rhs, 1) : YYRHSLOC(rhs, 0))

static void cc_parser_error(struct cc_token **loc, struct parser *p, const char *message);
static struct cc_token *next_token(struct parser *p, int lookahead);
static size_t string_count(struct cc_token *first);
static struct declaration *new_declaration(struct cc_unit *u, struct decl_spec *spec);
static struct member_declarations *new_members(struct cc_unit *u, struct decl_spec *spec);
static void end_declaration(struct cc_unit *u, struct declaration *d);
static void end_members(struct parser *p, struct member_list *list,
			struct member_declarations *m);
static void add_member(struct cc_unit *u, struct member_declarations *m, struct declarator *d,
		       struct cc_node *width, struct cc_loc loc);
static struct param_list *add_param(struct cc_unit *u, struct param_list *list,
				    struct decl_spec *spec, struct declarator *d,
				    struct cc_token *after);
static struct cc_type *type_name(struct cc_unit *u, struct decl_spec *spec,
				 struct declarator *abstract, struct cc_token *after);
static struct node_list *new_list(struct cc_unit *u, struct cc_node *first);
static struct cc_asm_operand *append_operand(struct cc_asm_operand *list,
					     struct cc_asm_operand *op);
static struct offsetof_step *append_step(struct cc_unit *u, struct offsetof_step *list,
					 struct cc_token *name, struct cc_node *index);
static struct designator *append_designator(struct designator *list, struct designator *d);
static struct init_item *append_item(struct init_item *list, struct init_item *item);
static struct cc_attrs *new_attrs(struct cc_unit *u);
static void file_scope_recovery(struct parser *p);

#define U (p->unit)
/* The source position of a symbol's first token. */
#define LOC(token) ((token) ? (token)->loc : p->unit->tokens[0].loc)
/* The token after the one just reduced (the lookahead, read or not). */
#define PEEK() next_token(p, yychar)
}

%union {
	struct cc_token *token;
	struct cc_node *node;
	struct cc_type *type;
	struct decl_spec *spec;
	struct declarator *declarator;
	struct derivation *derivation;
	struct param_list *params;
	struct declaration *declaration;
	struct member_declarations *member_decls;
	struct member_list *members;
	struct enum_state *enumeration;
	struct init_item *init;
	struct designator *designator;
	struct offsetof_step *step;
	struct cc_attrs *attrs;
	struct node_list *list;
	struct cc_asm_operand *operand;
	struct cc_var *var;
	unsigned mask;              /* also: a count of data refs (sema_data_ref_mark) */
	bool flag;
}

%token <token> IDENT "identifier" TYPEDEF_NAME "type name" INT_CONST "number"
%token <token> STRING "string literal"
%token <token> STORAGE "storage class" QUALIFIER "type qualifier"
%token <token> FUNCTION_SPECIFIER "function specifier" TYPE_WORD "type specifier"
%token <token> STRUCT_OR_UNION "struct" ENUM "enum" TYPEOF "typeof"
%token <token> VA_LIST "__builtin_va_list" AUTO_TYPE "__auto_type" ALIGNAS "_Alignas"
%token <token> ATTRIBUTE "__attribute__" ASM "asm"
%token <token> SIZEOF "sizeof" ALIGNOF "_Alignof" STATIC_ASSERT "_Static_assert"
%token <token> IF "if" ELSE "else" WHILE "while" DO "do" FOR "for" SWITCH "switch"
%token <token> CASE "case" DEFAULT "default" BREAK "break" CONTINUE "continue"
%token <token> GOTO "goto" RETURN "return"
%token <token> BUILTIN "builtin" BUILTIN_OFFSETOF "__builtin_offsetof"
%token <token> BUILTIN_TYPES_COMPATIBLE "__builtin_types_compatible_p"
%token <token> BUILTIN_PRESERVE_ACCESS "__builtin_preserve_access_index"
%token <token> BUILTIN_CORE "CO-RE builtin"
%token <token> ATTRIBUTE_NAME "attribute name" ATTRIBUTE_SECTION "section"
%token <token> ATTRIBUTE_ALIGNED "aligned" ATTRIBUTE_ARGUMENTS "attribute arguments"
%token <token> ELLIPSIS "..." ARROW "->" INC "++" DEC "--" ASSIGN_OP "assignment operator"
%token <token> OROR "||" ANDAND "&&" EQ "==" NE "!=" LE "<=" GE ">=" SHL "<<" SHR ">>"
%token <token> '(' ')' '[' ']' '{' '}' ';' ',' ':' '=' '?' '.' '&' '*' '+' '-' '~' '!'
%token <token> '/' '%' '<' '>' '^' '|' '#'

%precedence IMPLICIT_INT
%precedence STORAGE QUALIFIER FUNCTION_SPECIFIER ALIGNAS TYPE_WORD TYPEDEF_NAME ';'
%precedence THEN
%precedence ELSE
%precedence TAGGED_END
%precedence ATTRIBUTE
%precedence TAG_REFERENCE

/* Binary operators by precedence, lowest first; the conditional operator below them
 * all, right to left (`a ? b : c ? d : e`). */
%right '?' ':'
%left OROR
%left ANDAND
%left '|'
%left '^'
%left '&'
%left EQ NE
%left '<' '>' LE GE
%left SHL SHR
%left '+' '-'
%left '*' '/' '%'

/* Shift/reduce choices, each resolved by precedence instead of left as a conflict:
 * - dangling else: `else` belongs to the innermost `if` (THEN < ELSE);
 * - `struct s {...} __attribute__((x))`: attributes after a record or enum body are
 *   the record's (packed, aligned, preserve_access_index), not the declaration's
 *   (TAGGED_END < ATTRIBUTE);
 * - `enum e :` starts a fixed underlying type (`enum e : long long {`), never an
 *   unnamed bit-field of type enum e (TAG_REFERENCE < ':');
 * - `static x;`: specifiers without a type are complete (implicit int, an error as in
 *   clang) only when no further specifier follows (IMPLICIT_INT < the specifier
 *   tokens): `static T x` with T a typedef name is of type T, and
 *   `__attribute__((fallthrough));` stays a statement. */

%type <node> postfix_expression unary_expression cast_expression
%type <node> binary_expression assignment_expression expression
%type <node> constant_expression expression_opt array_size
%type <node> statement compound_statement labeled_statement selection_statement
%type <node> iteration_statement jump_statement asm_statement for_init block_item
%type <node> statement_expression_body
%type <list> argument_list block_items
%type <token> tag string_list spec_word
%type <spec> decl_specs notype_specs enum_base_words
%type <type> type_unique type_name record_open enum_base
%type <declarator> declarator direct_declarator abstract_declarator nested_declarator
%type <declarator> nested_direct_declarator
%type <declarator> direct_abstract_declarator
%type <derivation> pointer pointer_qualifiers
%type <params> parameter_list parameters
%type <declaration> declaration init_declarators first_declarator
%type <member_decls> member_declarators
%type <members> member_list
%type <enumeration> enum_open enumerator_list
%type <init> initializer initializer_list initializer_opt
%type <designator> designator_list designator
%type <step> offsetof_members
%type <attrs> attribute_specifier attribute_list spec_attribute
%type <attrs> leading_attributes trailing_attributes
%type <operand> asm_operands asm_operand_list asm_operand
%type <mask> asm_clobbers
%type <flag> asm_qualifiers

%start translation_unit

%%

/* ---- top level ---- */

translation_unit
	: %empty
	| translation_unit external_declaration
	;

external_declaration
	: function_definition
	| declaration                          { sema_release(U, FREE_DECLARATION, $1); }
	| static_assert_declaration
	| ';'
	| error ';'                            { file_scope_recovery(p); yyerrok; }
	| error '}'                            { file_scope_recovery(p); yyerrok; }
	;

/* decl-specs declarator attributes { body }; name(parameters) { body } (implicit int) */
function_definition
	: decl_specs declarator
		{
			sema_function_begin(U, $1, $2);
			sema_release_declarator(U, $2);
			sema_release_spec(U, $1);
		}
	  compound_statement
		{ sema_function_end(U, $4); }
	| IDENT '(' parameters ')'
		{ /* `f(void) { ... }`: implicit int, reported by sema_declare */
			struct decl_spec *spec = sema_spec_new(U, LOC(@1));
			struct declarator *d = sema_declarator_function(U,
				sema_declarator_name(U, $1), $3);

			spec->implicit_int = true;
			sema_function_begin(U, spec, d);
			sema_release_declarator(U, d);
			sema_release_spec(U, spec);
		}
	  compound_statement
		{ sema_function_end(U, $6); }
	;

static_assert_declaration
	: STATIC_ASSERT '(' constant_expression ',' string_list ')' ';'
		{ sema_static_assert(U, $1->loc, $3, $5); }
	| STATIC_ASSERT '(' constant_expression ')' ';'
		{ sema_static_assert(U, $1->loc, $3, NULL); }
	;

/* ---- declarations ---- */

declaration
	: decl_specs ';'
		{ $$ = new_declaration(U, $1); end_declaration(U, $$); p->declaring = 0; }
	| init_declarators ';'                 { $$ = $1; end_declaration(U, $$); p->declaring = 0; }
	;

/* Each declarator is declared as soon as it is complete, before its initializer and
 * before the next token is classified (a typedef name is one from there on). */
init_declarators
	: first_declarator initializer_opt     { $$ = $1; sema_initialize(U, $$, $$->last, $2); }
	| init_declarators ',' declarator
		{
			$1->last = sema_declare(U, $1, $3);
			sema_release_declarator(U, $3);
		}
	  initializer_opt
		{ $$ = $1; sema_initialize(U, $$, $$->last, $5); }
	;

first_declarator
	: decl_specs declarator
		{
			p->declaring = 1;
			$$ = new_declaration(U, $1);
			$$->last = sema_declare(U, $$, $2);
			sema_release_declarator(U, $2);
		}
	;

initializer_opt
	: %empty                               { $$ = NULL; }
	| '=' initializer                      { $$ = $2; }
	;

/* Specifiers: a type (a typedef name, record, enum, typeof...) or basic type words,
 * among storage classes, qualifiers and attributes. Once a type is there, a typedef
 * name is the declarator's name, not a type. */
decl_specs
	: type_unique                          { $$ = sema_spec_new(U, LOC(@1)); sema_spec_type(U, $$, $1); }
	| notype_specs type_unique             { $$ = $1; sema_spec_type(U, $$, $2); }
	| TYPEDEF_NAME                         { $$ = sema_spec_new(U, LOC(@1)); sema_spec_type(U, $$, $1->typedef_type); }
	| notype_specs TYPEDEF_NAME            { $$ = $1; sema_spec_type(U, $$, $2->typedef_type); }
	| TYPE_WORD                            { $$ = sema_spec_new(U, LOC(@1)); sema_spec_keyword(U, $$, $1); }
	| notype_specs TYPE_WORD               { $$ = $1; sema_spec_keyword(U, $$, $2); }
	| decl_specs TYPE_WORD                 { $$ = $1; sema_spec_keyword(U, $$, $2); }
	| decl_specs spec_word                 { $$ = $1; sema_spec_keyword(U, $$, $2); }
	| decl_specs spec_attribute            { $$ = $1; sema_spec_attrs(U, $$, $2); }
	| notype_specs %prec IMPLICIT_INT      { $$ = $1; $$->implicit_int = true; }
	;

notype_specs
	: spec_word                            { $$ = sema_spec_new(U, LOC(@1)); sema_spec_keyword(U, $$, $1); }
	| spec_attribute                       { $$ = sema_spec_new(U, LOC(@1)); sema_spec_attrs(U, $$, $1); }
	| notype_specs spec_word               { $$ = $1; sema_spec_keyword(U, $$, $2); }
	| notype_specs spec_attribute          { $$ = $1; sema_spec_attrs(U, $$, $2); }
	;

spec_word
	: STORAGE | QUALIFIER | FUNCTION_SPECIFIER
	;

spec_attribute
	: attribute_specifier %prec IMPLICIT_INT
	| ALIGNAS '(' type_name ')'
		{ $$ = new_attrs(U); $$->aligned = cc_type_align($3); }
	| ALIGNAS '(' constant_expression ')'
		{ $$ = new_attrs(U); $$->aligned = (int)sema_const_value(U, $3); }
	;

type_unique
	: record_open member_list '}' trailing_attributes %prec TAGGED_END
		{ $$ = $1; sema_record_end(U, $$, $2, $4); }
	| STRUCT_OR_UNION tag %prec TAG_REFERENCE
		{ $$ = sema_record_reference(U, $1, $2, PEEK()->kind == TK_PUNCT &&
						 PEEK()->text[0] == ';'); }
	| STRUCT_OR_UNION leading_attributes tag %prec TAG_REFERENCE
		{ $$ = sema_record_reference(U, $1, $3, PEEK()->kind == TK_PUNCT &&
						 PEEK()->text[0] == ';'); }
	| enumerator_list '}' trailing_attributes %prec TAGGED_END
		{ $$ = sema_enum_end(U, $1, $3); }
	| enumerator_list ',' '}' trailing_attributes %prec TAGGED_END
		{ $$ = sema_enum_end(U, $1, $4); }
	| enum_open '}' trailing_attributes %prec TAGGED_END
		{ $$ = sema_enum_end(U, $1, $3); }
	| ENUM tag %prec TAG_REFERENCE         { $$ = sema_enum_reference(U, $2); }
	| ENUM leading_attributes tag %prec TAG_REFERENCE
		{ $$ = sema_enum_reference(U, $3); }
	| TYPEOF '(' expression ')'            { $$ = $3->type; }
	| TYPEOF '(' type_name ')'             { $$ = $3; }
	| VA_LIST                              { $$ = cc_type_pointer(U, &cc_type_void); }
	| AUTO_TYPE                            { $$ = NULL; /* the initializer's type */ }
	;

/* ---- attributes ---- */

/* __attribute__((name, name(args), section("s"), aligned(N))) */
attribute_specifier
	: ATTRIBUTE '(' '(' attribute_list ')' ')'      { $$ = $4; }
	;

attribute_list
	: %empty                               { $$ = new_attrs(U); }
	| attribute_list ','                   { $$ = $1; }
	| attribute_list ATTRIBUTE_NAME        { $$ = $1; sema_attr_apply(U, $$, $2, NULL, NULL); }
	| attribute_list ATTRIBUTE_NAME ATTRIBUTE_ARGUMENTS
		{ $$ = $1; sema_attr_apply_args(U, $$, $2, @3); }
	| attribute_list ATTRIBUTE_SECTION '(' STRING ')'
		{ $$ = $1; sema_attr_apply(U, $$, $2, $4, NULL); }
	| attribute_list ATTRIBUTE_ALIGNED     { $$ = $1; sema_attr_apply(U, $$, $2, NULL, NULL); }
	| attribute_list ATTRIBUTE_ALIGNED '(' constant_expression ')'
		{ $$ = $1; sema_attr_apply(U, $$, $2, NULL, $4); }
	;

/* Between struct/union/enum and the tag. */
leading_attributes
	: attribute_specifier
	| leading_attributes attribute_specifier        { $$ = $1; sema_attrs_merge(U, $$, $2); }
	;

/* A struct, union or enum tag, a member or enumerator name (it may be spelled like a
 * typedef name). */
tag
	: IDENT
	| TYPEDEF_NAME
	;

/* After a record or enum body. */
trailing_attributes
	: %empty                               { $$ = NULL; }
	| trailing_attributes attribute_specifier
		{ $$ = $1 ? $1 : new_attrs(U); sema_attrs_merge(U, $$, $2); }
	;

/* ---- struct, union, enum ---- */


/* struct tag { -- the type the members go to (leading attributes kept on it) */
record_open
	: STRUCT_OR_UNION tag '{'              { $$ = sema_record_begin(U, $1, $2, $3, NULL); }
	| STRUCT_OR_UNION '{'                  { $$ = sema_record_begin(U, $1, NULL, $2, NULL); }
	| STRUCT_OR_UNION leading_attributes tag '{'
		{ $$ = sema_record_begin(U, $1, $3, $4, $2); }
	| STRUCT_OR_UNION leading_attributes '{'
		{ $$ = sema_record_begin(U, $1, NULL, $3, $2); }
	;

/* Members in order: declarations of one or more members, anonymous records. */
member_list
	: %empty                               { $$ = cc_alloc(U->arena, sizeof(*$$)); }
	| member_list member_declarators ';'   { $$ = $1; end_members(p, $$, $2); }
	| member_list decl_specs ';'
		{
			struct member_declarations *m = new_members(U, $2);

			sema_member_anonymous(U, &m->members, $2, LOC(@3));
			$$ = $1;
			end_members(p, $$, m);
		}
	| member_list static_assert_declaration
	| member_list ';'
	;

/* Each member declarator: `d` (with its attributes), `d : width`, `: width`; a
 * bit-field's width may be followed by attributes (`a : 3 __attribute__((packed))`),
 * which are its declarator's (an unnamed bit-field's are ignored, as by clang). */
member_declarators
	: decl_specs declarator
		{ $$ = new_members(U, $1); add_member(U, $$, $2, NULL, LOC(@2)); p->declaring = 2; }
	| decl_specs declarator ':' constant_expression trailing_attributes
		{
			sema_attrs_merge(U, &$2->attrs, $5);
			$$ = new_members(U, $1);
			add_member(U, $$, $2, $4, LOC(@2));
			p->declaring = 2;
		}
	| decl_specs ':' constant_expression trailing_attributes
		{ $$ = new_members(U, $1); add_member(U, $$, NULL, $3, LOC(@2)); p->declaring = 2; }
	| member_declarators ',' declarator    { $$ = $1; add_member(U, $$, $3, NULL, LOC(@3)); }
	| member_declarators ',' declarator ':' constant_expression trailing_attributes
		{ $$ = $1; sema_attrs_merge(U, &$3->attrs, $6); add_member(U, $$, $3, $5, LOC(@3)); }
	| member_declarators ',' ':' constant_expression trailing_attributes
		{ $$ = $1; add_member(U, $$, NULL, $4, LOC(@3)); }
	;


/* enum tag : type { -- the enum being defined */
enum_open
	: ENUM '{'                             { $$ = sema_enum_begin(U, NULL, NULL); }
	| ENUM tag '{'                         { $$ = sema_enum_begin(U, $2, NULL); }
	| ENUM leading_attributes '{'
		{ $$ = sema_enum_begin(U, NULL, NULL); $$->packed = $2->packed; }
	| ENUM leading_attributes tag '{'
		{ $$ = sema_enum_begin(U, $3, NULL); $$->packed = $2->packed; }
	| ENUM ':' enum_base '{'               { $$ = sema_enum_begin(U, NULL, $3); }
	| ENUM tag ':' enum_base '{'           { $$ = sema_enum_begin(U, $2, $4); }
	;

/* The fixed underlying type of an enum: an integer type. */
enum_base
	: enum_base_words                      { $$ = type_name(U, $1, NULL, PEEK()); }
	| TYPEDEF_NAME                         { $$ = $1->typedef_type; }
	;

enum_base_words
	: TYPE_WORD                            { $$ = sema_spec_new(U, LOC(@1)); sema_spec_keyword(U, $$, $1); }
	| enum_base_words TYPE_WORD            { $$ = $1; sema_spec_keyword(U, $$, $2); }
	;

/* Each enumerator is in scope for the next one's value. */
enumerator_list
	: enum_open tag trailing_attributes
		{ $$ = $1; sema_enumerator(U, $$, $2, NULL); }
	| enum_open tag trailing_attributes '=' constant_expression
		{ $$ = $1; sema_enumerator(U, $$, $2, $5); }
	| enumerator_list ',' tag trailing_attributes
		{ $$ = $1; sema_enumerator(U, $$, $3, NULL); }
	| enumerator_list ',' tag trailing_attributes '=' constant_expression
		{ $$ = $1; sema_enumerator(U, $$, $3, $6); }
	;

/* ---- declarators ---- */

/* Attributes and asm("name") labels after a declarator are the declarator's. */
declarator
	: direct_declarator
	| pointer direct_declarator            { $$ = sema_declarator_prepend($2, $1); }
	| declarator attribute_specifier       { $$ = $1; sema_attrs_merge(U, &$$->attrs, $2); }
	| declarator ASM '(' string_list ')'   { $$ = $1; }
	;

direct_declarator
	: IDENT                                { $$ = sema_declarator_name(U, $1); }
	| TYPEDEF_NAME                         { $$ = sema_declarator_name(U, $1); }
	| '(' nested_declarator ')'            { $$ = $2; }
	| direct_declarator '[' array_size ']' { $$ = sema_declarator_array(U, $1, $3); }
	| direct_declarator '(' parameters ')' { $$ = sema_declarator_function(U, $1, $3); }
	;

/* Inside parentheses a typedef name alone is a parameter's type, as C reads
 * `void f(int (T))`, so the name there is an identifier (or follows a '*'). */
nested_declarator
	: nested_direct_declarator
	| pointer direct_declarator            { $$ = sema_declarator_prepend($2, $1); }
	;

nested_direct_declarator
	: IDENT                                { $$ = sema_declarator_name(U, $1); }
	| '(' nested_declarator ')'            { $$ = $2; }
	| nested_direct_declarator '[' array_size ']'
		{ $$ = sema_declarator_array(U, $1, $3); }
	| nested_direct_declarator '(' parameters ')'
		{ $$ = sema_declarator_function(U, $1, $3); }
	;

/* `*` with its qualifiers, then further pointers (applied after it). */
pointer
	: '*' pointer_qualifiers               { $$ = sema_pointer(U, $2); }
	| '*' pointer_qualifiers pointer       { $$ = sema_pointer(U, $2); $$->next = $3; }
	;

pointer_qualifiers
	: %empty                               { $$ = sema_derivation_new(U); }
	| pointer_qualifiers QUALIFIER         { $$ = $1; sema_pointer_qualifier($$, $2); }
	| pointer_qualifiers attribute_specifier
		{ $$ = $1; sema_pointer_attributes(U, $$, $2); }
	;

array_size
	: %empty                               { $$ = NULL; }
	| assignment_expression
	| array_qualifiers                     { $$ = NULL; }
	| array_qualifiers assignment_expression        { $$ = $2; }
	;

array_qualifiers
	: STORAGE | QUALIFIER
	| array_qualifiers STORAGE
	| array_qualifiers QUALIFIER
	;

/* `()` has no prototype (NULL); `(void)` is dropped by sema_declarator_function. */
parameters
	: %empty                               { $$ = NULL; }
	| parameter_list
	| parameter_list ',' ELLIPSIS          { $$ = $1; $$->is_variadic = true; }
	;

parameter_list
	: decl_specs declarator                { $$ = add_param(U, NULL, $1, $2, PEEK()); }
	| decl_specs abstract_declarator       { $$ = add_param(U, NULL, $1, $2, PEEK()); }
	| decl_specs                           { $$ = add_param(U, NULL, $1, NULL, PEEK()); }
	| parameter_list ',' decl_specs declarator
		{ $$ = add_param(U, $1, $3, $4, PEEK()); }
	| parameter_list ',' decl_specs abstract_declarator
		{ $$ = add_param(U, $1, $3, $4, PEEK()); }
	| parameter_list ',' decl_specs        { $$ = add_param(U, $1, $3, NULL, PEEK()); }
	;

abstract_declarator
	: pointer                              { $$ = sema_declarator_prepend(sema_declarator_name(U, NULL), $1); }
	| direct_abstract_declarator
	| pointer direct_abstract_declarator   { $$ = sema_declarator_prepend($2, $1); }
	;

direct_abstract_declarator
	: '(' abstract_declarator ')'          { $$ = $2; }
	| '[' array_size ']'
		{ $$ = sema_declarator_array(U, sema_declarator_name(U, NULL), $2); }
	| '(' parameters ')'
		{ $$ = sema_declarator_function(U, sema_declarator_name(U, NULL), $2); }
	| direct_abstract_declarator '[' array_size ']'
		{ $$ = sema_declarator_array(U, $1, $3); }
	| direct_abstract_declarator '(' parameters ')'
		{ $$ = sema_declarator_function(U, $1, $3); }
	;

type_name
	: decl_specs                           { $$ = type_name(U, $1, NULL, PEEK()); }
	| decl_specs abstract_declarator       { $$ = type_name(U, $1, $2, PEEK()); }
	;

/* ---- initializers ---- */

initializer
	: assignment_expression                { $$ = sema_init_item(U, $1, NULL, LOC(@1)); }
	| '{' '}'                              { $$ = sema_init_item(U, NULL, NULL, LOC(@1)); }
	| '{' initializer_list '}'             { $$ = sema_init_item(U, NULL, $2, LOC(@1)); }
	| '{' initializer_list ',' '}'         { $$ = sema_init_item(U, NULL, $2, LOC(@1)); }
	;

initializer_list
	: initializer                          { $$ = $1; }
	| designator_list '=' initializer      { $$ = $3; $$->designators = $1; }
	| initializer_list ',' initializer     { $$ = append_item($1, $3); }
	| initializer_list ',' designator_list '=' initializer
		{ $5->designators = $3; $$ = append_item($1, $5); }
	;

designator_list
	: designator
	| designator_list designator           { $$ = append_designator($1, $2); }
	;

designator
	: '[' constant_expression ']'          { $$ = sema_designator(U, NULL, $2, NULL, LOC(@1)); }
	| '[' constant_expression ELLIPSIS constant_expression ']'
		{ $$ = sema_designator(U, NULL, $2, $4, LOC(@1)); }
	| '.' tag               { $$ = sema_designator(U, $2, NULL, NULL, LOC(@2)); }
	;

/* ---- statements ---- */

statement
	: labeled_statement
	| compound_statement
	| expression ';'                       { $$ = sema_expr_stmt(U, $1, LOC(@1)); }
	| ';'                                  { $$ = sema_stmt(U, ND_NULL_STMT, LOC(@1)); }
	| attribute_specifier ';'              { $$ = sema_stmt(U, ND_NULL_STMT, LOC(@1)); }
	| selection_statement
	| iteration_statement
	| jump_statement
	| asm_statement
	| error ';'
		{ $$ = sema_stmt(U, ND_NULL_STMT, LOC(@2)); p->declaring = 0; yyerrok; }
	;

labeled_statement
	: IDENT ':' statement                  { $$ = sema_label(U, $1, $3); }
	| CASE constant_expression ':' statement
		{ $$ = sema_case(U, $2, NULL, $4, LOC(@1)); }
	| CASE constant_expression ELLIPSIS constant_expression ':' statement
		{ $$ = sema_case(U, $2, $4, $6, LOC(@1)); }
	| DEFAULT ':' statement                { $$ = sema_case(U, NULL, NULL, $3, LOC(@1)); }
	;

/* { items }: a block scope of its own */
compound_statement
	: '{' { scope_push(U); } block_items '}'
		{ scope_pop(U); $$ = sema_block(U, $3, LOC(@1)); }
	;

block_items
	: %empty                               { $$ = new_list(U, NULL); }
	| block_items block_item               { $$ = $1; node_list_append($$, $2); }
	;

block_item
	: declaration
		{ $$ = sema_declaration_stmt(U, $1); sema_release(U, FREE_DECLARATION, $1); }
	| static_assert_declaration            { $$ = NULL; }
	| statement
	;

selection_statement
	: IF '(' expression ')' statement %prec THEN
		{ $$ = sema_if(U, $3, $5, NULL, LOC(@1)); }
	| IF '(' expression ')' statement ELSE statement
		{ $$ = sema_if(U, $3, $5, $7, LOC(@1)); }
	| SWITCH '(' expression ')' { $<node>$ = sema_switch_begin(U, $3, LOC(@1)); } statement
		{ $$ = sema_switch_end(U, $<node>5, $6); }
	;

iteration_statement
	: WHILE '(' expression ')' statement
		{ $$ = sema_loop(U, ND_FOR, $1, NULL, sema_condition(U, $3), NULL, $5); }
	| DO statement WHILE '(' expression ')' ';'
		{ $$ = sema_loop(U, ND_DO, $1, NULL, sema_condition(U, $5), NULL, $2); }
	| FOR '(' { scope_push(U); } for_init expression_opt ';' expression_opt ')' statement
		{
			scope_pop(U);
			$$ = sema_loop(U, ND_FOR, $1, $4, $5 ? decay(U, $5) : NULL, $7, $9);
		}
	;

for_init
	: ';'                                  { $$ = NULL; }
	| expression ';'                       { $$ = sema_expr_stmt(U, $1, LOC(@1)); }
	| declaration
		{
			$$ = sema_stmt(U, ND_BLOCK, LOC(@1));
			$$->body = sema_declaration_stmt(U, $1);
			sema_release(U, FREE_DECLARATION, $1);
		}
	;

expression_opt
	: %empty                               { $$ = NULL; }
	| expression
	;

jump_statement
	: GOTO tag ';'          { $$ = sema_goto(U, $2, LOC(@1)); }
	| GOTO '*' expression ';'
		{
			cc_error(U, LOC(@2), "computed goto is not supported");
			$$ = sema_stmt(U, ND_NULL_STMT, LOC(@1));
		}
	| CONTINUE ';'                         { $$ = sema_stmt(U, ND_CONTINUE, LOC(@1)); }
	| BREAK ';'                            { $$ = sema_stmt(U, ND_BREAK, LOC(@1)); }
	| RETURN ';'                           { $$ = sema_return(U, NULL, LOC(@1)); }
	| RETURN expression ';'                { $$ = sema_return(U, $2, LOC(@1)); }
	;

/* asm [volatile|inline|goto] ("template" : outputs : inputs : clobbers); */
asm_statement
	: ASM asm_qualifiers '(' string_list ')' ';'
		{ $$ = sema_asm(U, $1, sema_string_text(U, $4, string_count($4)), NULL, NULL, 0, $2); }
	| ASM asm_qualifiers '(' string_list ':' asm_operands ')' ';'
		{ $$ = sema_asm(U, $1, sema_string_text(U, $4, string_count($4)), $6, NULL, 0, $2); }
	| ASM asm_qualifiers '(' string_list ':' asm_operands ':' asm_operands ')' ';'
		{ $$ = sema_asm(U, $1, sema_string_text(U, $4, string_count($4)), $6, $8, 0, $2); }
	| ASM asm_qualifiers '(' string_list ':' asm_operands ':' asm_operands ':' asm_clobbers ')' ';'
		{ $$ = sema_asm(U, $1, sema_string_text(U, $4, string_count($4)), $6, $8, $10, $2); }
	;

asm_qualifiers
	: %empty                               { $$ = false; }
	| asm_qualifiers QUALIFIER             { $$ = $1; }
	| asm_qualifiers FUNCTION_SPECIFIER    { $$ = $1; }
	| asm_qualifiers GOTO                  { $$ = true; }
	;

asm_operands
	: %empty                               { $$ = NULL; }
	| asm_operand_list
	;

asm_operand_list
	: asm_operand
	| asm_operand_list ',' asm_operand     { $$ = append_operand($1, $3); }
	;

asm_operand
	: string_list '(' expression ')'
		{ $$ = sema_asm_operand(U, NULL, sema_string_text(U, $1, string_count($1)), $3, true); }
	| '[' tag ']' string_list '(' expression ')'
		{ $$ = sema_asm_operand(U, $2, sema_string_text(U, $4, string_count($4)), $6, true); }
	;

asm_clobbers
	: %empty                               { $$ = 0; }
	| string_list                          { $$ = sema_asm_clobber(sema_string_text(U, $1, string_count($1))); }
	| asm_clobbers ',' string_list
		{ $$ = $1 | sema_asm_clobber(sema_string_text(U, $3, string_count($3))); }
	;

/* ---- expressions ---- */

postfix_expression
	: IDENT
		{
			struct cc_token *next = PEEK();

			$$ = sema_identifier(U, $1, next->kind == TK_PUNCT && next->text[0] == '(' &&
						   !next->text[1]);
		}
	| INT_CONST                            { $$ = sema_number(U, $1); }
	| string_list                          { $$ = sema_string(U, $1, string_count($1)); }
	| '(' expression ')'                   { $$ = $2; }
	| '(' statement_expression_body ')'    { $$ = $2; }
	| BUILTIN '(' ')'                      { $$ = sema_builtin_call(U, $1, NULL, LOC(@1)); }
	| BUILTIN '(' argument_list ')'        { $$ = sema_builtin_call(U, $1, $3->head, LOC(@1)); }
	| BUILTIN_OFFSETOF '(' type_name ',' offsetof_members ')'
		{ $$ = sema_builtin_offsetof(U, $3, $5, LOC(@1)); }
	| BUILTIN_TYPES_COMPATIBLE '(' type_name ',' type_name ')'
		{ $$ = sema_builtin_types_compatible(U, $3, $5, LOC(@1)); }
	| BUILTIN_PRESERVE_ACCESS '(' { U->preserve_depth++; } assignment_expression ')'
		{ U->preserve_depth--; $$ = $4; }
	| BUILTIN_CORE '(' { U->preserve_depth++; } assignment_expression ','
	  { U->preserve_depth--; } assignment_expression ')'
		{ $$ = sema_builtin_core(U, $1, $4, $7, LOC(@1)); }
	;

/* GNU ({ ... }): only inside a function */
statement_expression_body
	: compound_statement
		{
			if (!U->current)
				cc_error(U, LOC(@1), "statement expression not allowed at file scope");
			$$ = sema_statement_expression(U, $1, LOC(@1));
		}
	;

offsetof_members
	: tag                   { $$ = append_step(U, NULL, $1, NULL); }
	| offsetof_members '.' tag       { $$ = append_step(U, $1, $3, NULL); }
	| offsetof_members '[' constant_expression ']'  { $$ = append_step(U, $1, NULL, $3); }
	;

string_list
	: STRING
	| string_list STRING                   { $$ = $1; }
	;

postfix_expression
	: postfix_expression '[' expression ']'         { $$ = sema_index(U, $1, $3, LOC(@2)); }
	| postfix_expression '(' ')'                    { $$ = sema_call(U, $1, NULL, LOC(@2)); }
	| postfix_expression '(' argument_list ')'      { $$ = sema_call(U, $1, $3->head, LOC(@2)); }
	| postfix_expression '.' tag     { $$ = sema_member(U, $1, $3, false, LOC(@2)); }
	| postfix_expression ARROW tag   { $$ = sema_member(U, $1, $3, true, LOC(@2)); }
	| postfix_expression INC               { $$ = sema_incdec(U, false, true, $1, LOC(@2)); }
	| postfix_expression DEC               { $$ = sema_incdec(U, false, false, $1, LOC(@2)); }
	| '(' type_name ')' '{' initializer_list '}'
		{ $$ = sema_compound_literal(U, $2, sema_init_item(U, NULL, $5, LOC(@4)), LOC(@1)); }
	| '(' type_name ')' '{' initializer_list ',' '}'
		{ $$ = sema_compound_literal(U, $2, sema_init_item(U, NULL, $5, LOC(@4)), LOC(@1)); }
	| '(' type_name ')' '{' '}'
		{ $$ = sema_compound_literal(U, $2, sema_init_item(U, NULL, NULL, LOC(@4)), LOC(@1)); }
	;

argument_list
	: assignment_expression                { $$ = new_list(U, $1); }
	| argument_list ',' assignment_expression       { $$ = $1; node_list_append($$, $3); }
	;

unary_expression
	: postfix_expression
	| INC unary_expression                 { $$ = sema_incdec(U, true, true, $2, LOC(@1)); }
	| DEC unary_expression                 { $$ = sema_incdec(U, true, false, $2, LOC(@1)); }
	| '&' cast_expression                  { $$ = sema_unary(U, '&', $2, LOC(@1)); }
	| '*' cast_expression                  { $$ = sema_unary(U, '*', $2, LOC(@1)); }
	| '+' cast_expression                  { $$ = sema_unary(U, '+', $2, LOC(@1)); }
	| '-' cast_expression                  { $$ = sema_unary(U, '-', $2, LOC(@1)); }
	| '~' cast_expression                  { $$ = sema_unary(U, '~', $2, LOC(@1)); }
	| '!' cast_expression                  { $$ = sema_unary(U, '!', $2, LOC(@1)); }
	| SIZEOF unary_expression              { $$ = sema_sizeof(U, $2->type, false, LOC(@1)); }
	| SIZEOF '(' type_name ')'             { $$ = sema_sizeof(U, $3, false, LOC(@1)); }
	| ALIGNOF unary_expression             { $$ = sema_sizeof(U, $2->type, true, LOC(@1)); }
	| ALIGNOF '(' type_name ')'            { $$ = sema_sizeof(U, $3, true, LOC(@1)); }
	| ANDAND tag
		{
			cc_error(U, LOC(@1), "address of label (labels as values) is not supported");
			$$ = new_num(U, 0, &cc_type_long, LOC(@1));
		}
	;

cast_expression
	: unary_expression
	| '(' type_name ')' cast_expression    { $$ = sema_cast(U, $2, $4, LOC(@1)); }
	;

binary_expression
	: cast_expression
	| binary_expression OROR binary_expression      { $$ = sema_binary(U, ND_LOGOR, $1, $3, LOC(@2)); }
	| binary_expression ANDAND binary_expression    { $$ = sema_binary(U, ND_LOGAND, $1, $3, LOC(@2)); }
	| binary_expression '|' binary_expression       { $$ = sema_binary(U, ND_BITOR, $1, $3, LOC(@2)); }
	| binary_expression '^' binary_expression       { $$ = sema_binary(U, ND_BITXOR, $1, $3, LOC(@2)); }
	| binary_expression '&' binary_expression       { $$ = sema_binary(U, ND_BITAND, $1, $3, LOC(@2)); }
	| binary_expression EQ binary_expression        { $$ = sema_binary(U, ND_EQ, $1, $3, LOC(@2)); }
	| binary_expression NE binary_expression        { $$ = sema_binary(U, ND_NE, $1, $3, LOC(@2)); }
	| binary_expression '<' binary_expression       { $$ = sema_binary(U, ND_LT, $1, $3, LOC(@2)); }
	| binary_expression '>' binary_expression       { $$ = sema_binary(U, ND_GT, $1, $3, LOC(@2)); }
	| binary_expression LE binary_expression        { $$ = sema_binary(U, ND_LE, $1, $3, LOC(@2)); }
	| binary_expression GE binary_expression        { $$ = sema_binary(U, ND_GE, $1, $3, LOC(@2)); }
	| binary_expression SHL binary_expression       { $$ = sema_binary(U, ND_SHL, $1, $3, LOC(@2)); }
	| binary_expression SHR binary_expression       { $$ = sema_binary(U, ND_SHR, $1, $3, LOC(@2)); }
	| binary_expression '+' binary_expression       { $$ = sema_binary(U, ND_ADD, $1, $3, LOC(@2)); }
	| binary_expression '-' binary_expression       { $$ = sema_binary(U, ND_SUB, $1, $3, LOC(@2)); }
	| binary_expression '*' binary_expression       { $$ = sema_binary(U, ND_MUL, $1, $3, LOC(@2)); }
	| binary_expression '/' binary_expression       { $$ = sema_binary(U, ND_DIV, $1, $3, LOC(@2)); }
	| binary_expression '%' binary_expression       { $$ = sema_binary(U, ND_MOD, $1, $3, LOC(@2)); }
	| binary_expression '?' expression ':' binary_expression
		{ $$ = sema_conditional(U, $1, $3, $5, LOC(@2)); }
	| binary_expression '?' ':' binary_expression
		{ $$ = sema_conditional(U, $1, NULL, $4, LOC(@2)); }
	;


assignment_expression
	: binary_expression
	| unary_expression '='
		{ $<mask>$ = sema_data_ref_mark(U); }
	  assignment_expression
		{
			sema_assign_order(U, $1, $<mask>3);
			$$ = sema_assign(U, $2, $1, $4, LOC(@2));
		}
	| unary_expression ASSIGN_OP assignment_expression
		{ $$ = sema_assign(U, $2, $1, $3, LOC(@2)); }
	;

expression
	: assignment_expression
	| expression ',' assignment_expression { $$ = sema_comma(U, $1, $3, LOC(@2)); }
	;

constant_expression
	: binary_expression
	;

%%

/* The token after the last one reduced: the lookahead if bison read it, else the next
 * one in the array. */
static struct cc_token *next_token(struct parser *p, int lookahead)
{
	return lookahead == CC_PARSER_EMPTY ? &p->unit->tokens[p->unit->pos] : p->last;
}

static size_t string_count(struct cc_token *first)
{
	size_t n = 0;

	while (first[n].kind == TK_STRING)
		n++;
	return n;
}

static struct declaration *new_declaration(struct cc_unit *u, struct decl_spec *spec)
{
	struct declaration *d = sema_reuse(u, FREE_DECLARATION, sizeof(*d));

	d->spec = spec;
	return d;
}

static struct member_declarations *new_members(struct cc_unit *u, struct decl_spec *spec)
{
	struct member_declarations *m = sema_reuse(u, FREE_MEMBERS, sizeof(*m));

	m->spec = spec;
	return m;
}

static void add_member(struct cc_unit *u, struct member_declarations *m, struct declarator *d,
		       struct cc_node *width, struct cc_loc loc)
{
	sema_member_add(u, &m->members, m->spec, d, width, loc);
	sema_release_declarator(u, d);
}

/* A parameter declaration; `after` is the token after it (where a missing type
 * specifier of an unnamed parameter is reported, as clang does). */
static struct param_list *add_param(struct cc_unit *u, struct param_list *list,
				    struct decl_spec *spec, struct declarator *d,
				    struct cc_token *after)
{
	sema_spec_implicit_int(u, spec, d, after->loc);
	list = sema_param_add(u, list, spec, d);
	sema_release_declarator(u, d);
	sema_release_spec(u, spec);
	return list;
}

static struct cc_type *type_name(struct cc_unit *u, struct decl_spec *spec,
				 struct declarator *abstract, struct cc_token *after)
{
	struct cc_type *t;

	sema_spec_implicit_int(u, spec, abstract, after->loc);
	t = sema_type_name(u, spec, abstract);

	sema_release_declarator(u, abstract);
	sema_release_spec(u, spec);
	return t;
}

/* Member declarations join the record's list; their specifiers are dead then. */
static void end_members(struct parser *p, struct member_list *list,
			struct member_declarations *m)
{
	if (m->members.head) {
		if (list->tail)
			list->tail->next = m->members.head;
		else
			list->head = m->members.head;
		list->tail = m->members.tail;
	}
	p->declaring = 0;
	sema_release_spec(p->unit, m->spec);
	sema_release(p->unit, FREE_MEMBERS, m);
}

/* A declaration's specifiers are dead once it is reduced. */
static void end_declaration(struct cc_unit *u, struct declaration *d)
{
	sema_release_spec(u, d->spec);
	d->spec = NULL;
}

static struct node_list *new_list(struct cc_unit *u, struct cc_node *first)
{
	struct node_list *l = cc_alloc(u->arena, sizeof(*l));

	node_list_append(l, first);
	return l;
}

static struct cc_attrs *new_attrs(struct cc_unit *u)
{
	return cc_alloc(u->arena, sizeof(struct cc_attrs));
}

static struct cc_asm_operand *append_operand(struct cc_asm_operand *list,
					     struct cc_asm_operand *op)
{
	struct cc_asm_operand *last = list;

	while (last->next)
		last = last->next;
	last->next = op;
	return list;
}

static struct offsetof_step *append_step(struct cc_unit *u, struct offsetof_step *list,
					 struct cc_token *name, struct cc_node *index)
{
	struct offsetof_step *s = cc_alloc(u->arena, sizeof(*s)), *last = list;

	s->name = name;
	if (index)
		s->index = sema_const_value(u, index);
	if (!list)
		return s;
	while (last->next)
		last = last->next;
	last->next = s;
	return list;
}

static struct designator *append_designator(struct designator *list, struct designator *d)
{
	struct designator *last = list;

	while (last->next)
		last = last->next;
	last->next = d;
	return list;
}

/* Lists of initializers stay short enough to walk; the first item's `loc` is kept. */
static struct init_item *append_item(struct init_item *list, struct init_item *item)
{
	struct init_item *last = list;

	while (last->next)
		last = last->next;
	last->next = item;
	return list;
}

/* After a syntax error at file scope: back to file scope, outside any function. */
static void file_scope_recovery(struct parser *p)
{
	struct cc_unit *u = p->unit;

	p->declaring = 0;
	while (u->scope->parent)
		u->scope = u->scope->parent;
	u->current = NULL;
	u->current_switch = NULL;
	u->preserve_depth = 0;
}

/* bison's own errors: only the parser stack running out. */
static void cc_parser_error(struct cc_token **loc, struct parser *p, const char *message)
{
	(void)message;
	cc_error(p->unit, LOC(*loc), "expression or statement nested too deeply");
}

/* The spelling of what was found instead. */
static const char *found_text(struct cc_token *t)
{
	if (t->kind == TK_STRING)
		return "string literal";
	return t->text;
}

/* Where clang puts the caret for a missing ';': just after the previous token. */
static struct cc_loc after_previous(struct parser *p, struct cc_token *found)
{
	struct cc_token *prev = found - 1;
	struct cc_loc loc = found->loc;

	if (found > p->unit->tokens && prev->loc.file == found->loc.file) {
		loc = prev->loc;
		loc.column += (unsigned)strlen(prev->text);
	}
	return loc;
}

/* A symbol's name for "expected X": bison quotes the aliases; drop the quotes. */
static void symbol_name(yysymbol_kind_t symbol, char *buf, size_t size)
{
	const char *name = yysymbol_name(symbol);
	size_t len = strlen(name);

	if (len >= 2 && name[0] == '"' && name[len - 1] == '"')
		snprintf(buf, size, "%.*s", (int)(len - 2), name + 1);
	else
		snprintf(buf, size, "%s", name);
}

static bool expects(const yysymbol_kind_t *expected, int n, yysymbol_kind_t symbol)
{
	for (int i = 0; i < n; i++)
		if (expected[i] == symbol)
			return true;
	return false;
}

/* What a missing ';' ends, in clang's words: the statement the tokens before it
 * start with, else the declaration or expression being read. */
static const char *semicolon_context(struct parser *p, struct cc_token *found)
{
	static const char *const statements[] = { "return", "break", "continue", "goto" };
	struct cc_token *t = found;

	while (t > p->unit->tokens && !(t[-1].kind == TK_PUNCT && !t[-1].text[1] &&
					 strchr(";{}", t[-1].text[0])))
		t--;
	for (size_t i = 0; i < sizeof(statements) / sizeof(statements[0]); i++)
		if (t->kind == TK_KEYWORD && !strcmp(t->text, statements[i]))
			return statements[i];
	return NULL;
}

static void missing_semicolon(struct parser *p, struct cc_token *found)
{
	struct cc_unit *u = p->unit;
	struct cc_loc loc = after_previous(p, found);
	const char *statement = semicolon_context(p, found);

	if (statement)
		cc_error(u, loc, "expected ';' after %s statement", statement);
	else if (p->declaring == 2)
		cc_error(u, loc, "expected ';' at end of declaration list");
	else if (p->declaring && u->current)
		cc_error(u, loc, "expected ';' at end of declaration");
	else if (u->current)
		cc_error(u, loc, "expected ';' after expression");
	else
		cc_error(u, loc, "expected ';' after top level declarator");
}

/* Syntax errors in clang's words: `expected ';' after expression`, `expected
 * expression`, `expected ')'`, `expected identifier`. */
static int yyreport_syntax_error(const yypcontext_t *ctx, struct parser *p)
{
	static const int closers[] = { ')', ']', '}' };
	struct cc_unit *u = p->unit;
	struct cc_token *found = p->last;
	yysymbol_kind_t expected[YYNTOKENS];
	int n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	char name[64];

	if (!found || (unsigned)u->errors >= p->max_errors)
		return 0;
	if (expects(expected, n, YYTRANSLATE(';'))) {
		missing_semicolon(p, found);
		return 0;
	}
	for (size_t i = 0; i < sizeof(closers) / sizeof(closers[0]); i++)
		if (expects(expected, n, YYTRANSLATE(closers[i]))) {
			cc_error(u, found->loc, "expected '%c'", closers[i]);
			return 0;
		}
	if (expects(expected, n, YYSYMBOL_INT_CONST)) {
		cc_error(u, found->loc, "expected expression");
	} else if (expects(expected, n, YYSYMBOL_IDENT)) {
		cc_error(u, found->loc, "expected identifier");
	} else if (n == 1) {
		symbol_name(expected[0], name, sizeof(name));
		cc_error(u, found->loc, name[0] == '\'' ? "expected %s" : "expected '%s'", name);
	} else {
		cc_error(u, found->loc, "unexpected '%s'", found_text(found));
	}
	return 0;
}
