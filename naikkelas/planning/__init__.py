"""The office's own plan and account: its indicators (Renstra, Renja, LKjIP, LKPJ), computed from the registry."""
