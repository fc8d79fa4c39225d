/* push_pop.c - #pragma push_macro / pop_macro as gcc implements them: a stack per
 * name, an undefined name restored as undefined, a pop without a push ignored, the
 * pragma lines left blank up to the pragma's name. Checked against gcc -E. */
#define X 1
#define F(a) (a+1)
#pragma push_macro("X")
#undef X
#define X 2
x_inner=X
#pragma pop_macro("X")
x_outer=X
#pragma push_macro("Y")
#define Y 3
y_defined=Y
#pragma pop_macro("Y")
y_undefined=Y
#pragma push_macro("X")
#pragma push_macro("X")
#undef X
x_none=X
#pragma pop_macro("X")
x_one=X
#pragma pop_macro("X")
x_two=X
#pragma pop_macro("X")
x_three=X
#pragma pop_macro("NEVER")
#pragma push_macro("F")
#undef F
#define F(a, b) [a b]
f_two=F(1, 2)
#pragma pop_macro("F")
f_one=F(2)
  #  pragma   push_macro  (  "X"  )
#undef X
#define X 4
#pragma pop_macro(L"X")
x_wide=X
