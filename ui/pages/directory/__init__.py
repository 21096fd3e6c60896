"""The directory page's screens: the search reception uses, and the upkeep of the entries
and of the signed packs for those who keep the directory."""
