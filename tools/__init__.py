"""Developer tools (`make screenshots`, `make bench`): they drive the product from outside and
are not part of it, so neither the package nor the frozen build carries them."""
