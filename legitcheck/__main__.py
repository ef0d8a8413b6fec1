from legitcheck._cli import main

main()
