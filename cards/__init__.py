"""One builder per card: domain objects and a language in, an Adaptive Card out."""
