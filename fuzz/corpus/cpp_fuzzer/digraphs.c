/* digraphs.c - <: :> <% %> %: %:%: as gcc -E treats them (C99 6.4.6p3): spelled as
 * written in the output and in strings, %: and %:%: acting as # and ## in directives
 * and replacement lists. Checked byte for byte against gcc -E by cpp_directed.sh. */
#define s(x) #x
#define xs(x) s(x)
#define cat(a,b) a%:%:b
<: :> <% %> %: %:%:
s(<:) s(%:) xs(<:) cat(x,y) cat(<,:)
%:define FOO 1
FOO
#define h(x) %:x
h(abc)
int a<:3:> = <%1%>;
cat(%:,%:) s(cat(%:,%:)) xs(cat(%:,%:))
cat(<,%) cat(%,>)
s(<::><%%>%:%:%:)
#define EMPTY
#define HASH %:
a EMPTY%:b HASH%:c HASH HASH
HASH%>
%:%:
 %:
x<::>y <%%> a<<:b a%:%:%:b a<=:b c%=>d
#define glue(a, b) a %:%: b
glue(<, :) glue(%, >) glue(%:, %:) s(%:) s(<::>)
#define OBJ <: %: :>
OBJ s(OBJ)
%:if 0
%:error not reached
#if 1
%:endif
%:endif
%:  ifdef FOO
digraph_ifdef_taken
%:else
%:%: not a directive in a skipped group either
%:endif
