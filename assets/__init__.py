"""The software-defined assets, one module per stage, each with its checks. raw_feeds has no
partitions and is declared at import; the partitioned stages are declared by each module's
`stage(...)`, which the definitions call when they load (the partitions, and whether an LLM is
configured, come from the environment). Assets import nothing from orchestration/."""
