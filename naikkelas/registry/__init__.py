"""The registry of UMKM, their owners, legal documents and status history, and of cooperatives."""
