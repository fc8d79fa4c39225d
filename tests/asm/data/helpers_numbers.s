# helpers_numbers.s - data/helpers.s with the UAPI helper numbers written out.
	.text
prog:
	call 1
	call 2
	call 6
	call 5
	call 51
	call 130
	call 12
	exit
