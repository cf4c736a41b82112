# Installation layout and the Debian package (cpack -G DEB).
include(GNUInstallDirs)
install(TARGETS erpsync-agent erpsync-server erpsync-ctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/mappings/ DESTINATION ${CMAKE_INSTALL_DATADIR}/erpsync/mappings)
install(FILES ${PROJECT_SOURCE_DIR}/config/agent.conf ${PROJECT_SOURCE_DIR}/config/server.conf
        DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/erpsync)
install(FILES ${PROJECT_SOURCE_DIR}/packaging/systemd/erpsync-agent.service
              ${PROJECT_SOURCE_DIR}/packaging/systemd/erpsync-server.service
        DESTINATION lib/systemd/system)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME erpsync)
set(CPACK_PACKAGE_CONTACT "erpsync maintainers <erpsync@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "ERP sync agent and cloud approval service for Sage 300 CRE")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
