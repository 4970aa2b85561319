"""Spam: the tenant's stop lists (addresses, domains, words) screen every new request;
a match is stored as spam — kept, out of the inbox and the counts — until "not spam"."""
