import ShuoguoVectors
print(probeBLAS())
