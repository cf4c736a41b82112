# The installed layout, Debian's (the default prefix is /usr): `cmake
# --install` puts every file where the erpsync-agent, erpsync-server and
# erpsync-ctl packages ship it, and packaging/debian/*.install split it into
# them (packaging/build-debs.sh). The configuration and the systemd units go
# to absolute paths: /etc (not /usr/etc) and /lib/systemd/system.
include(GNUInstallDirs)
set(ERPSYNC_SYSTEMD_UNIT_DIR /lib/systemd/system CACHE PATH "Where the systemd units are installed")

install(TARGETS erpsync-agent erpsync-server erpsync-ctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/mappings/ DESTINATION ${CMAKE_INSTALL_DATADIR}/erpsync/mappings)
# The web tool's files, which erpsync-server serves (web.assets_dir's
# default, server/config): the erpsync-server package's.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/ DESTINATION ${CMAKE_INSTALL_DATADIR}/erpsync-server/web)
install(FILES ${PROJECT_SOURCE_DIR}/config/agent.conf ${PROJECT_SOURCE_DIR}/config/server.conf
        DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/erpsync)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/man/erpsync-agent.1
              ${PROJECT_SOURCE_DIR}/packaging/man/erpsync-server.1
              ${PROJECT_SOURCE_DIR}/packaging/man/erpsync-ctl.1
        DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
foreach(service erpsync-agent erpsync-server)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/${service}.service
          DESTINATION ${ERPSYNC_SYSTEMD_UNIT_DIR})
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/${service}.sysusers
          DESTINATION lib/sysusers.d RENAME ${service}.conf)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/${service}.tmpfiles
          DESTINATION lib/tmpfiles.d RENAME ${service}.conf)
endforeach()
