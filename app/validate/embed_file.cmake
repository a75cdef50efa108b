# Compiles one text file into the binary as `const char* NAME`.
file(READ "${SRC}" text)
file(WRITE "${OUT}.tmp" "extern const char* ${NAME};\nconst char* ${NAME} = R\"gilsim(${text})gilsim\";\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
