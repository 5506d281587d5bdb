# Thin aliases for ./run, which does the set-up itself and needs nothing but bash.
.PHONY: render test bench setup clean
render:
	./run render
test:
	./run test
bench:
	./run bench
setup:
	./run setup
clean:
	rm -rf .cache media
