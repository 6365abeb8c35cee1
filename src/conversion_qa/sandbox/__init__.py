"""The sandbox: the whole assumed contract served on loopback from biller files, for rehearsals."""
