/* mapi32.dll holds no code of its own: its exports forward to mapihost.dll (see CMakeLists.txt). */
